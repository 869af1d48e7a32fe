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

    /// Common other names, mapped to the skill they mean.
    public static let aliases: [(alias: String, skill: String)] = [
        ("postgres", "SQL"), ("mysql", "SQL"), ("databases", "SQL"), ("py", "Python"), ("ios", "Swift"),
        ("aws", "Cloud Architecture"), ("azure", "Cloud Architecture"), ("gcp", "Cloud Architecture"),
        ("infosec", "Security"), ("cybersecurity", "Security"), ("qa", "Testing"), ("ci/cd", "DevOps"),
        ("ml", "Machine Learning"), ("ai", "Machine Learning"), ("analytics", "Data Analysis"),
        ("dataviz", "Data Visualisation"), ("data visualization", "Data Visualisation"), ("excel", "Spreadsheet Modelling"),
        ("mentoring", "Coaching"), ("strategy", "Strategic Planning"), ("recruiting", "Hiring"), ("feedback", "Giving Feedback"),
        ("presenting", "Public Speaking"), ("presentation skills", "Public Speaking"), ("writing", "Business Writing"),
        ("workshop facilitation", "Facilitation"), ("listening", "Active Listening"), ("negotiating", "Negotiation"),
        ("selling", "Sales"), ("finance", "Budgeting"), ("ux research", "User Research"), ("ui design", "Visual Design"),
        ("a11y", "Accessibility"), ("project planning", "Project Management"), ("lean", "Process Improvement"),
        ("purchasing", "Procurement"), ("prioritization", "Prioritisation"), ("networking events", "Networking"),
    ]

    public static var entries: [Entry] {
        families.flatMap { family in family.skills.map { Entry(name: $0, family: family.family) } }
    }
}
