import Foundation
import Synchronization

/// The directory's filter menus (departments, time zones, languages) per organisation, kept for
/// a short while so that a page of 25 people does not scan 100,000 rows three times to fill its
/// menus (the languages list alone has no index to read and took 50 ms on SQLite).
///
/// A write through this process's store (an import, a profile save, SCIM, an erasure) forgets
/// the organisation's menus at once; another replica's write shows within ``lifetime``. A stale
/// menu is harmless: choosing a value nobody has any more finds nobody, and the filters
/// themselves always read the database.
public final class DirectoryFacetCache: Sendable {
    /// How long menus are kept when nothing in this process changed them.
    public let lifetime: TimeInterval
    /// At most this many organisations' menus are held; the oldest go first.
    private let capacity: Int
    private let entries = Mutex<[UUID: Entry]>([:])

    struct Entry {
        let facets: DirectoryFacets
        let expires: Date
    }

    public init(lifetime: TimeInterval = 30, capacity: Int = 1_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The organisation's menus if they are still fresh at `now`.
    func facets(of organisationID: UUID, at now: Date) -> DirectoryFacets? {
        entries.withLock { entries in
            guard let entry = entries[organisationID], entry.expires > now else { return nil }
            return entry.facets
        }
    }

    func remember(_ facets: DirectoryFacets, of organisationID: UUID, at now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[organisationID] == nil,
               let oldest = entries.min(by: { $0.value.expires < $1.value.expires })?.key {
                entries[oldest] = nil
            }
            entries[organisationID] = Entry(facets: facets, expires: now.addingTimeInterval(lifetime))
        }
    }

    /// Forgets the organisation's menus: its people just changed.
    public func forget(_ organisationID: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: organisationID) }
    }
}

/// The values the directory's filter menus offer.
public struct DirectoryFacets: Sendable, Equatable {
    public let departments: [String]
    public let timeZones: [String]
    public let languages: [String]
}
