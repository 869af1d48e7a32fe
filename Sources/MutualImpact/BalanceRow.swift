/// One covariate's balance between participants and controls, before and after matching.
public struct BalanceRow: Sendable, Hashable, Codable {
    /// `level`, `time zone (UTC offset, hours)`, or a category such as `department: Sales`.
    public var covariate: String
    /// Participants' mean (a share for a category) before matching.
    public var participantMean: Double
    /// Controls' mean before matching.
    public var controlMeanBefore: Double
    /// Matched controls' weighted mean.
    public var controlMeanAfter: Double
    /// Standardised mean difference before matching.
    public var smdBefore: Double
    /// Standardised mean difference after matching (same denominator as before, so the two compare).
    public var smdAfter: Double
    /// Whether |SMD after| is at or above the imbalance threshold (0.1).
    public var imbalanced: Bool

    public init(
        covariate: String, participantMean: Double, controlMeanBefore: Double, controlMeanAfter: Double,
        smdBefore: Double, smdAfter: Double, imbalanced: Bool
    ) {
        self.covariate = covariate
        self.participantMean = participantMean
        self.controlMeanBefore = controlMeanBefore
        self.controlMeanAfter = controlMeanAfter
        self.smdBefore = smdBefore
        self.smdAfter = smdAfter
        self.imbalanced = imbalanced
    }

    enum CodingKeys: String, CodingKey {
        case covariate
        case participantMean = "participant_mean"
        case controlMeanBefore = "control_mean_before"
        case controlMeanAfter = "control_mean_after"
        case smdBefore = "smd_before"
        case smdAfter = "smd_after"
        case imbalanced
    }
}
