import Foundation

/// Whom a bulk invitation or a programme launch is for: people in the directory, narrowed by
/// any of the filters given (all must hold). With no filter, everyone.
public struct InvitationAudience: Sendable, Equatable {
    public var department: String
    public var level: Int?
    public var location: String
    /// A skill the person is strong in or wants to learn, as typed (read through the taxonomy).
    public var skill: String
    /// Pasted directory ids (the CSV's `id`) or email addresses, one per line or separated by
    /// commas or semicolons. When given, only these people.
    public var pastedList: String

    public init(department: String = "", level: Int? = nil, location: String = "", skill: String = "", pastedList: String = "") {
        self.department = department
        self.level = level
        self.location = location
        self.skill = skill
        self.pastedList = pastedList
    }

    /// The pasted entries, trimmed, without blanks or repeats, in the order given.
    public var pastedEntries: [String] {
        var seen: Set<String> = []
        return pastedList.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }

    /// Which filters are in use, by name (`department,level,location,skill,list`), for event
    /// payloads, which carry no text a person typed.
    public var filterNames: String {
        var names: [String] = []
        if !department.trimmingCharacters(in: .whitespaces).isEmpty { names.append("department") }
        if level != nil { names.append("level") }
        if !location.trimmingCharacters(in: .whitespaces).isEmpty { names.append("location") }
        if !skill.trimmingCharacters(in: .whitespaces).isEmpty { names.append("skill") }
        if !pastedEntries.isEmpty { names.append("list") }
        return names.joined(separator: ",")
    }

    /// The audience in words, for the list of sends: "Engineering, level 3, Lisbon, skill SQL".
    public var summary: String {
        var parts: [String] = []
        let department = department.trimmingCharacters(in: .whitespaces)
        if !department.isEmpty { parts.append("department \(department)") }
        if let level { parts.append("level \(level)") }
        let location = location.trimmingCharacters(in: .whitespaces)
        if !location.isEmpty { parts.append("location \(location)") }
        let skill = skill.trimmingCharacters(in: .whitespaces)
        if !skill.isEmpty { parts.append("skill \(skill)") }
        let pasted = pastedEntries.count
        if pasted > 0 { parts.append("a pasted list of \(pasted)") }
        return parts.isEmpty ? "everyone in the directory" : parts.joined(separator: ", ")
    }
}

/// Someone an audience selected.
public struct AudiencePerson: Sendable, Equatable {
    public let id: UUID
    public let externalID: String
    public let name: String
    public let email: String?
    public let hasAccount: Bool
}

/// What ``Store/inviteInBulk(_:role:by:acceptURL:)`` did.
public struct BulkInvitationResult: Sendable, Equatable {
    /// Invitations written and emailed now.
    public var invited = 0
    /// People who already had a pending invitation (not invited twice).
    public var alreadyInvited = 0
    /// People who already have an account.
    public var alreadyMembers = 0
    /// People the directory has no email address for.
    public var withoutEmail = 0
    /// Pasted entries that name nobody in the directory.
    public var unknownEntries: [String] = []
    /// Why the audience selected fewer people than it may seem (a skill nobody has).
    public var notes: [String] = []

    public init() {}
}

/// What a programme's invitation says about the programme.
public struct InvitationPitch: Sendable {
    public var programmeName: String
    public var description: String
    /// The enrolment deadline in words, or empty.
    public var enrolmentCloses: String
}

/// The reminder of one invitation; payload of ``JobKind/invitationReminder``.
struct InvitationReminderJob: Codable, Sendable {
    var invitationID: UUID
}
