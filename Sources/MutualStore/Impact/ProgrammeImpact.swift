import Foundation
import MutualImpact

/// A programme's impact report: its participants compared with matched colleagues who were
/// never in it, on each HR outcome the organisation imported.
public struct ProgrammeImpact: Sendable {
    public var programmeID: UUID
    public var programmeName: String
    /// People in any of the programme's relationships (intention-to-treat).
    public var participants: Int
    /// Participants in at least one completed relationship.
    public var completers: Int
    /// People of the organisation never enrolled in or matched by the programme.
    public var controls: Int
    /// Enrolled people who were never matched: in neither group, as they chose to join.
    public var enrolledUnmatched: Int
    public var report: ImpactReport
}
