/// A streaming RFC 4180 parser: feed it the file in chunks of bytes of any size and it calls
/// back with each complete record, so a 100,000-row export never has to sit in memory as
/// one string.
///
/// Handles quoted fields with embedded commas, quotes (`""`) and newlines, CRLF, LF and
/// lone CR line ends, a UTF-8 byte-order mark, and validates UTF-8. Stray quotes inside
/// unquoted fields and text after a closing quote are errors rather than guesses, because
/// a silently misread row matches the wrong people.
public struct CSVParser: Sendable {
    private enum State: Sendable {
        case fieldStart
        case unquoted
        case quoted
        case quoteInQuoted
        case afterCR
    }

    private var state: State = .fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var line = 1
    private var recordLine = 1
    private var sawAnyByte = false
    private var bomBytesChecked = 0
    private var pendingBOM: [UInt8] = []

    public init() {}

    /// Parses a whole text at once; convenient for tests and small files.
    public static func parse(_ text: String) throws(CSVError) -> [CSVRecord] {
        var parser = CSVParser()
        var records: [CSVRecord] = []
        try parser.feed(Array(text.utf8)) { records.append($0) }
        try parser.finish { records.append($0) }
        return records
    }

    /// Consumes the next chunk of the file, calling `onRecord` for each record completed.
    public mutating func feed(
        _ chunk: some Collection<UInt8>, onRecord: (CSVRecord) throws(CSVError) -> Void
    ) throws(CSVError) {
        // One copy into a concrete array: iterating an unspecialised generic collection (such
        // as Foundation's Data from another module) byte by byte is many times slower.
        let bytes = chunk as? [UInt8] ?? Array(chunk)
        try feedBytes(bytes, onRecord: onRecord)
    }

    private mutating func feedBytes(_ bytes: [UInt8], onRecord: (CSVRecord) throws(CSVError) -> Void) throws(CSVError) {
        for byte in bytes {
            if bomBytesChecked < 3 {
                // Hold back the first bytes until we know whether they are a BOM.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomBytesChecked] {
                    pendingBOM.append(byte)
                    bomBytesChecked += 1
                    if bomBytesChecked == 3 { pendingBOM.removeAll() }
                    continue
                }
                bomBytesChecked = 3
                let held = pendingBOM
                pendingBOM.removeAll()
                for heldByte in held { try consume(heldByte, onRecord: onRecord) }
            }
            try consume(byte, onRecord: onRecord)
        }
    }

    /// Signals the end of the input, emitting the last record if it had no line end.
    public mutating func finish(onRecord: (CSVRecord) throws(CSVError) -> Void) throws(CSVError) {
        if !pendingBOM.isEmpty {
            let held = pendingBOM
            pendingBOM.removeAll()
            bomBytesChecked = 3
            for heldByte in held { try consume(heldByte, onRecord: onRecord) }
        }
        switch state {
        case .quoted:
            throw CSVError(
                line: recordLine, field: fields.count + 1,
                reason: "a quoted field is never closed; add the closing \" (a quote inside a field is written \"\")")
        case .afterCR:
            state = .fieldStart
        case .fieldStart:
            if fields.isEmpty { return }
            try endField()
            try emit(onRecord)
        case .unquoted, .quoteInQuoted:
            try endField()
            try emit(onRecord)
        }
    }

    private mutating func consume(_ byte: UInt8, onRecord: (CSVRecord) throws(CSVError) -> Void) throws(CSVError) {
        let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        sawAnyByte = true
        switch state {
        case .afterCR:
            state = .fieldStart
            if byte == lf { return }
            try consume(byte, onRecord: onRecord)
        case .fieldStart:
            if fields.isEmpty && field.isEmpty { recordLine = line }
            switch byte {
            case quote: state = .quoted
            case comma: try endField()
            case cr, lf:
                try endRecord(byte, onRecord)
            default:
                field.append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case comma:
                try endField()
                state = .fieldStart
            case cr, lf:
                try endRecord(byte, onRecord)
            case quote:
                throw CSVError(
                    line: line, field: fields.count + 1,
                    reason: "a quote appears inside an unquoted field; quote the whole field and double the inner quote (\"\")")
            default:
                field.append(byte)
            }
        case .quoted:
            if byte == quote {
                state = .quoteInQuoted
            } else {
                if byte == lf { line += 1 }
                if byte == cr { line += 1 }  // a CRLF inside quotes counts once: see LF below
                if byte == lf, field.last == cr { line -= 1 }
                field.append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case quote:
                field.append(quote)
                state = .quoted
            case comma:
                try endField()
                state = .fieldStart
            case cr, lf:
                try endRecord(byte, onRecord)
            default:
                throw CSVError(
                    line: line, field: fields.count + 1,
                    reason: "unexpected text after a closing quote; a quote inside a quoted field is written \"\"")
            }
        }
    }

    private mutating func endField() throws(CSVError) {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVError(line: line, field: fields.count + 1, reason: "the field is not valid UTF-8; save the file as UTF-8")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord(_ byte: UInt8, _ onRecord: (CSVRecord) throws(CSVError) -> Void) throws(CSVError) {
        try endField()
        try emit(onRecord)
        line += 1
        state = byte == 0x0D ? .afterCR : .fieldStart
    }

    private mutating func emit(_ onRecord: (CSVRecord) throws(CSVError) -> Void) throws(CSVError) {
        let record = CSVRecord(fields: fields, line: recordLine)
        fields.removeAll(keepingCapacity: true)
        // A completely empty line is not a record (RFC 4180 forbids them; exports end with one).
        if record.fields.count == 1 && record.fields[0].isEmpty { return }
        try onRecord(record)
    }
}
