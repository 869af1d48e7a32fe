import ArgumentParser
import FluentKit
import Foundation
import MutualStore

/// Picks the organisation a command-line tool works on: the one named by `--organisation`, or
/// the only one there is.
enum OrganisationChoice {
    static func resolve(_ slug: String?, in database: MutualDatabase) async throws -> Organisation {
        let organisations = try await Organisation.query(on: try database.database()).sort(\.$slug).all()
        let slugs = organisations.map(\.slug).joined(separator: ", ")
        if let slug {
            guard let organisation = organisations.first(where: { $0.slug == slug }) else {
                throw ValidationError(
                    organisations.isEmpty
                        ? "There is no organisation yet. Run `mutual serve` and complete the setup page, or `mutual demo`."
                        : "There is no organisation \"\(slug)\". The organisations are: \(slugs).")
            }
            return organisation
        }
        switch organisations.count {
        case 0: throw ValidationError("There is no organisation yet. Run `mutual serve` and complete the setup page, or `mutual demo`.")
        case 1: return organisations[0]
        default: throw ValidationError("There are several organisations; choose one with --organisation SLUG (one of: \(slugs)).")
        }
    }
}
