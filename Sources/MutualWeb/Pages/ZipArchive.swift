import Foundation

/// A ZIP archive of a few small files, written in memory and stored without compression (the
/// evidence pack's CSVs are a few kilobytes; every unzip tool reads stored entries). Names are
/// UTF-8 (general-purpose flag bit 11).
struct ZipArchive {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var entries = 0

    /// Adds a file; `modified` is written in the DOS form ZIP uses (local time of UTC, 2-second steps).
    mutating func add(_ name: String, _ contents: [UInt8], modified: Date) {
        let nameBytes = Array(name.utf8)
        let crc = Self.crc32(contents)
        let (time, date) = Self.dosTimeAndDate(modified)
        let offset = UInt32(body.count)
        body += Self.le32(0x0403_4b50) + Self.le16(20) + Self.le16(0x0800) + Self.le16(0) + Self.le16(time) + Self.le16(date)
        body += Self.le32(crc) + Self.le32(UInt32(contents.count)) + Self.le32(UInt32(contents.count))
        body += Self.le16(UInt16(nameBytes.count)) + Self.le16(0) + nameBytes + contents
        directory += Self.le32(0x0201_4b50) + Self.le16(20) + Self.le16(20) + Self.le16(0x0800) + Self.le16(0) + Self.le16(time) + Self.le16(date)
        directory += Self.le32(crc) + Self.le32(UInt32(contents.count)) + Self.le32(UInt32(contents.count))
        directory += Self.le16(UInt16(nameBytes.count)) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le32(0) + Self.le32(offset)
        directory += nameBytes
        entries += 1
    }

    /// The archive's bytes: the files, the central directory and its end record.
    var bytes: [UInt8] {
        body + directory + Self.le32(0x0605_4b50) + Self.le16(0) + Self.le16(0) + Self.le16(UInt16(entries)) + Self.le16(UInt16(entries))
            + Self.le32(UInt32(directory.count)) + Self.le32(UInt32(body.count)) + Self.le16(0)
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xff) } }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// CRC-32 as ZIP and PNG use it (reflected, polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func dosTimeAndDate(_ date: Date) -> (UInt16, UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = max(1980, min(2107, parts.year ?? 1980))
        let time = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        let day = UInt16((year - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        return (time, day)
    }
}
