/// The skills every new organisation starts with, by family. Admins add, rename and merge from here.
public enum StarterTaxonomy {
    public struct Entry: Sendable {
        public let name: String
        public let family: String
    }

    public static let families: [(family: String, skills: [String])] = [
        ("Technical", ["SQL", "Python", "Swift", "Cloud Architecture", "Security", "Testing", "DevOps", "Machine Learning"]),
        ("Data", ["Data Analysis", "Statistics", "Data Visualisation", "Spreadsheet Modelling"]),
        ("Leadership", ["Coaching", "Delegation", "Strategic Planning", "Change Management", "Hiring", "Giving Feedback"]),
        ("Communication", ["Public Speaking", "Business Writing", "Storytelling", "Facilitation", "Active Listening"]),
        ("Commercial", ["Negotiation", "Sales", "Budgeting", "Pricing", "Customer Discovery", "Marketing"]),
        ("Design", ["User Research", "Visual Design", "Prototyping", "Accessibility"]),
        ("Operations", ["Project Management", "Process Improvement", "Risk Management", "Procurement"]),
        ("Personal effectiveness", ["Time Management", "Prioritisation", "Resilience", "Networking"]),
    ]

    public static var entries: [Entry] {
        families.flatMap { family in family.skills.map { Entry(name: $0, family: family.family) } }
    }
}
