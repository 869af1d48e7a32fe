/// Normalises free-text names (skills, interests, languages) to one stable slug, so that
/// `"Public Speaking"`, `public-speaking` and `public speaking` are the same skill.
public enum SkillSlug {
    /// Lower-cases the text and replaces every run of characters that are not letters or
    /// digits with a single hyphen, trimming hyphens at both ends.
    ///
    /// Non-ASCII letters are kept (`"Négociation"` becomes `"négociation"`), because HR
    /// exports are multilingual and transliteration would merge distinct words.
    public static func make(_ text: some StringProtocol) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return makeASCII(text.utf8) }
        var slug = ""
        slug.reserveCapacity(text.utf8.count)
        var pendingHyphen = false
        for character in text {
            if character.isLetter || character.isNumber {
                if pendingHyphen, !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.append(contentsOf: character.lowercased())
            } else {
                pendingHyphen = true
            }
        }
        return slug
    }

    /// The same rules on ASCII bytes, without allocating a string per character (imports
    /// call this hundreds of thousands of times).
    private static func makeASCII(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var pendingHyphen = false
        for byte in bytes {
            let isDigit = byte >= 0x30 && byte <= 0x39
            let isUpper = byte >= 0x41 && byte <= 0x5A
            let isLower = byte >= 0x61 && byte <= 0x7A
            if isDigit || isUpper || isLower {
                if pendingHyphen, !output.isEmpty { output.append(0x2D) }
                pendingHyphen = false
                output.append(isUpper ? byte + 0x20 : byte)
            } else {
                pendingHyphen = true
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
