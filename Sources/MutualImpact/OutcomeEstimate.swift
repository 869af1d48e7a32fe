/// The comparison of one group of participants (everyone, or completers) with matched
/// non-participants on one outcome. Differences are in the outcome's own units: for a 0/1
/// outcome a proportion, 0.10 being ten percentage points.
public struct OutcomeEstimate: Sendable, Hashable, Codable {
    /// Participants with a value for the outcome.
    public var participants: Int
    /// Non-participants with a value for the outcome.
    public var controls: Int
    /// Participants who had at least one control in their stratum (the ATT is about them).
    public var matchedParticipants: Int
    /// Participants with no control of the same department, level, company and time zone.
    public var droppedParticipants: Int
    /// Controls in a stratum with at least one participant.
    public var matchedControls: Int
    /// People in the comparison whose outcome is missing (left out of it).
    public var missingOutcome: Int
    /// Mean outcome of all participants with a value.
    public var participantMean: Double?
    /// Mean outcome of all controls with a value.
    public var controlMean: Double?
    /// Participants' mean minus controls' mean, without matching.
    public var rawDifference: Double?
    /// The effect on the (matched) participants, ATT: the participant-weighted mean of the
    /// within-stratum differences.
    public var effect: Double?
    /// Lower end of the 95 % percentile bootstrap interval of `effect`.
    public var ciLow: Double?
    /// Upper end of the 95 % percentile bootstrap interval of `effect`.
    public var ciHigh: Double?
    /// Standardised mean differences of the covariates, before and after matching.
    public var balance: [BalanceRow]

    public init(
        participants: Int = 0, controls: Int = 0, matchedParticipants: Int = 0, droppedParticipants: Int = 0,
        matchedControls: Int = 0, missingOutcome: Int = 0, participantMean: Double? = nil, controlMean: Double? = nil,
        rawDifference: Double? = nil, effect: Double? = nil, ciLow: Double? = nil, ciHigh: Double? = nil,
        balance: [BalanceRow] = []
    ) {
        self.participants = participants
        self.controls = controls
        self.matchedParticipants = matchedParticipants
        self.droppedParticipants = droppedParticipants
        self.matchedControls = matchedControls
        self.missingOutcome = missingOutcome
        self.participantMean = participantMean
        self.controlMean = controlMean
        self.rawDifference = rawDifference
        self.effect = effect
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.balance = balance
    }

    /// Whether any covariate is still imbalanced after matching.
    public var hasImbalance: Bool { balance.contains(where: \.imbalanced) }

    enum CodingKeys: String, CodingKey {
        case participants, controls
        case matchedParticipants = "matched_participants"
        case droppedParticipants = "dropped_participants"
        case matchedControls = "matched_controls"
        case missingOutcome = "missing_outcome"
        case participantMean = "participant_mean"
        case controlMean = "control_mean"
        case rawDifference = "raw_difference"
        case effect
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
        case balance
    }

    /// Writes missing figures as `null` rather than leaving the key out, so a reader sees
    /// every key of the documented shape whatever the data.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(participants, forKey: .participants)
        try container.encode(controls, forKey: .controls)
        try container.encode(matchedParticipants, forKey: .matchedParticipants)
        try container.encode(droppedParticipants, forKey: .droppedParticipants)
        try container.encode(matchedControls, forKey: .matchedControls)
        try container.encode(missingOutcome, forKey: .missingOutcome)
        try container.encode(participantMean, forKey: .participantMean)
        try container.encode(controlMean, forKey: .controlMean)
        try container.encode(rawDifference, forKey: .rawDifference)
        try container.encode(effect, forKey: .effect)
        try container.encode(ciLow, forKey: .ciLow)
        try container.encode(ciHigh, forKey: .ciHigh)
        try container.encode(balance, forKey: .balance)
    }
}
