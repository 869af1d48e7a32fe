/// Normalises free-text names (skills, interests, languages) to one stable slug, so that
/// `"Public Speaking"`, `public-speaking` and `public speaking` are the same skill.
public enum SkillSlug {
    /// Lower-cases the text and replaces every run of characters that are not letters or
    /// digits with a single hyphen, trimming hyphens at both ends.
    ///
    /// Non-ASCII letters are kept (`"Négociation"` becomes `"négociation"`), because HR
    /// exports are multilingual and transliteration would merge distinct words.
    public static func make(_ text: some StringProtocol) -> String {
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
}
