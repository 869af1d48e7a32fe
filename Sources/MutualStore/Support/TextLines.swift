/// The lines of a text typed or pasted into a form, numbered as an editor numbers them.
///
/// Browsers send a textarea's line ends as CRLF; splitting on each of CR and LF (as
/// `components(separatedBy: .newlines)` does) made every line two, so line 5 was reported as
/// line 9. A Swift `Character` holds CRLF as one character, so splitting on characters that
/// are newlines counts CRLF, LF and a lone CR once each.
public enum TextLines {
    /// Every line of `text` with its number from 1, empty lines included (so the numbers stay
    /// those a person sees); a final line end does not start another line.
    public static func numbered(_ text: String) -> [(number: Int, text: Substring)] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if text.last?.isNewline == true { lines.removeLast() }
        return lines.enumerated().map { (number: $0.offset + 1, text: $0.element) }
    }
}
