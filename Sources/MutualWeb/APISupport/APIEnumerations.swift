import MutualStore

// The store's enumerations the API reads and writes: the contract test compares their cases
// with the document's `enum` lists.
extension Role: APIEnumeration {}
extension APITokenScope: APIEnumeration {}
extension InvitationStatus: APIEnumeration {}
extension ProgrammeModel: APIEnumeration {}
extension ProgrammeStructure: APIEnumeration {}
extension ProfileField: APIEnumeration {}
extension KPI.Comparison: APIEnumeration {}
extension EnrolmentRole: APIEnumeration {}
extension EnrolmentSource: APIEnumeration {}
extension MatchRun.Status: APIEnumeration {}
extension ProposalEdit.Kind: APIEnumeration {}
extension Relationship.Status: APIEnumeration {}
extension MatchRequest.Status: APIEnumeration {}
extension PublishedMatch.Status: APIEnumeration {}
extension MatchMember.Response: APIEnumeration {}
extension PeopleImportMode: APIEnumeration {}
extension PeopleImportReport.Outcome: APIEnumeration {}
extension Job.Status: APIEnumeration {}
extension EventType: APIEnumeration {}
extension RunOptimality: APIEnumeration {}
extension Meeting.Status: APIEnumeration {}
extension MeetingCadence.Interval: APIEnumeration {}
extension Measure: APIEnumeration {}
extension KPIStatus: APIEnumeration {}
extension WebhookFormat: APIEnumeration {}
extension WebhookDelivery.Status: APIEnumeration {}
extension AccessStatus: APIEnumeration {}
