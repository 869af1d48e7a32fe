import FluentKit
import Foundation

/// Headline figures for the dashboard.
public struct OrganisationSummary: Sendable, Equatable {
    public let people: Int
    public let members: Int
    public let skills: Int
}

extension Store {
    public func summary(of identity: Identity) async throws -> OrganisationSummary {
        async let people = Person.query(on: try db()).filter(\.$organisationID == identity.organisationID).count()
        async let members = Account.query(on: try db()).filter(\.$organisationID == identity.organisationID).count()
        async let skills = Skill.query(on: try db()).filter(\.$organisationID == identity.organisationID).count()
        return try await OrganisationSummary(people: people, members: members, skills: skills)
    }
}
