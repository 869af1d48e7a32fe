import FluentKit
import Foundation

/// The demo organisation `mutual demo` loads: Northwind Collective, 320 people across
/// departments, levels, time zones and skills, with one known admin and one known participant.
public enum DemoOrganisation {
    public static let slug = "demo"
    public static let name = "Northwind Collective (demo)"
    public static let adminEmail = "admin@demo.mutual.example"
    public static let adminPassword = "demo-admin-password"
    public static let participantEmail = "ana.silva@demo.mutual.example"
    public static let participantPassword = "demo-participant-password"
    public static let peopleCount = 320

    /// What loading did; loading twice finds the organisation and changes nothing.
    public enum Outcome: Sendable, Equatable {
        case created(people: Int)
        case alreadyPresent
    }
}

extension Store {
    /// Loads the demo organisation unless it is already there: its people, and one programme of
    /// each model with objectives, enrolment and (where the app runs it) a finished match run.
    public func loadDemo() async throws -> DemoOrganisation.Outcome {
        if try await Organisation.query(on: try db()).filter(\.$slug == DemoOrganisation.slug).first() != nil {
            return .alreadyPresent
        }
        let admin = try await createOrganisation(
            SetupRequest(
                organisationName: DemoOrganisation.name, adminName: "Morgan Admin",
                email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword),
            slug: DemoOrganisation.slug)
        let organisationID = admin.organisationID
        let participantHash = try await passwords.hash(DemoOrganisation.participantPassword)
        let now = clock.now
        let people = DemoPeople.generate(count: DemoOrganisation.peopleCount)
        let resolver = try await skillResolver(for: organisationID)
        try await transaction { transaction in
            var personIDs: [String: UUID] = [:]
            for demo in people {
                let person = Person(
                    organisationID: organisationID, externalID: demo.externalID, name: demo.name, email: demo.email,
                    department: demo.department, company: "Northwind Collective", level: demo.level,
                    managerID: demo.managerExternalID.flatMap { personIDs[$0] }, timeZone: demo.timeZone,
                    location: demo.location, languages: demo.languages, createdAt: now)
                try await person.create(on: transaction)
                let personID = try person.requireID()
                personIDs[demo.externalID] = personID
                for (skill, level) in demo.strengths {
                    try await PersonSkill(
                        organisationID: organisationID, personID: personID, skillID: try await resolver.skillID(for: skill, on: transaction)!,
                        kind: .strength, level: level
                    ).create(on: transaction)
                }
                for (skill, level) in demo.wants {
                    try await PersonSkill(
                        organisationID: organisationID, personID: personID, skillID: try await resolver.skillID(for: skill, on: transaction)!,
                        kind: .want, level: level
                    ).create(on: transaction)
                }
                if demo.email == DemoOrganisation.participantEmail {
                    let login = Login(email: demo.email, passwordHash: participantHash, createdAt: now)
                    try await login.create(on: transaction)
                    try await Account(
                        organisationID: organisationID, personID: personID, loginID: try login.requireID(), name: demo.name,
                        role: .participant, createdAt: now
                    ).create(on: transaction)
                }
            }
        }
        let identity = try await self.identity(for: admin)
        try await loadDemoProgrammes(admin: identity, people: people)
        try await loadDemoRelationshipLife(admin: identity)
        try await loadDemoFeedback(admin: identity)
        try await loadDemoPastCycle(admin: identity, people: people)
        try await loadDemoOutcomes(admin: identity)
        return .created(people: people.count)
    }
}
