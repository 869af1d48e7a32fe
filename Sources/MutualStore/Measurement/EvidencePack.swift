import Foundation

/// A programme mapped to the six standards of the EMCC's International Standards for Mentoring
/// and Coaching Programmes (ISMCP): for each, what Mutual holds as evidence (with figures) and
/// what is still missing for accreditation. The records behind it download as CSV files.
public struct EvidencePack: Sendable {
    /// One ISMCP standard.
    public struct Standard: Sendable, Equatable {
        public let number: Int
        public let title: String
        /// What the standard asks a programme to show, in a sentence.
        public let asks: String
        public let held: [String]
        public let missing: [String]
    }

    /// A match run, as the selection-and-matching record lists it.
    public struct RunRecord: Sendable, Equatable {
        public let startedAt: Date
        public let status: String
        public let participants: Int
        public let matched: Int
        public let gapPercent: Double
    }

    /// A relationship without names: what the record needs (a reference, dates, the agreement).
    public struct RelationshipRecord: Sendable, Equatable {
        /// The first eight characters of its id.
        public let reference: String
        public let status: Relationship.Status
        public let startedAt: Date
        public let endedAt: Date?
        public let members: Int
        public let agreementSigned: Bool
        public let boundariesWritten: Bool
        public let confidentialityWritten: Bool
        public let meetingsHeld: Int
    }

    public let programmeID: UUID
    public let programmeName: String
    public let computedAt: Date
    public let standards: [Standard]
    public let dashboard: ProgrammeDashboard
    public let runs: [RunRecord]
    public let relationships: [RelationshipRecord]
}
