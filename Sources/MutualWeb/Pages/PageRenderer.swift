import Foundation
import Hummingbird
import MutualStore
import Mustache

/// Renders server-side pages from the Mustache templates in `Resources/templates`, each from a
/// typed view model whose `page` property carries the shared chrome (title, navigation, CSRF).
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every `*.mustache` template shipped with the module.
    public static func load() async throws -> PageRenderer {
        let directory = Resource.url("Resources/templates").path
        let library = try await MustacheLibrary(directory: directory)
        // MustacheLibrary quietly loads nothing from a missing folder; fail loudly instead.
        guard library.getTemplate(named: "header") != nil else {
            throw ConfigurationError("The page templates are missing from the Mutual build (looked in \(directory)). Rebuild with `swift build`.")
        }
        return PageRenderer(library: library)
    }

    /// An HTML response for `template` rendered with `model`.
    func render(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            throw APIProblem(status: .internalServerError, title: "Missing page", detail: "The page template \(template) is missing from this build.")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The chrome for a page seen by whoever the context says is signed in.
    func chrome(title: String, context: AppRequestContext, current: String = "") -> PageChrome {
        PageChrome(title: title, csrfToken: context.csrfToken, identity: context.identity, current: current)
    }

    func chrome(title: String, context: SignedInContext, current: String = "") -> PageChrome {
        PageChrome(title: title, csrfToken: context.csrfToken, identity: context.identity, current: current)
    }
}

/// What every page's layout needs.
struct PageChrome {
    let title: String
    let csrfToken: String
    let signedIn: Bool
    let memberName: String
    let organisationName: String
    let roleLabel: String
    let nav: [NavItem]

    init(title: String, csrfToken: String, identity: Identity?, current: String) {
        self.title = title
        self.csrfToken = csrfToken
        self.signedIn = identity != nil
        self.memberName = identity?.name ?? ""
        self.organisationName = identity?.organisationName ?? ""
        self.roleLabel = identity?.role.label ?? ""
        var nav: [NavItem] = []
        if let identity {
            nav.append(NavItem(label: "Dashboard", href: "/dashboard", current: current == "dashboard"))
            nav.append(NavItem(label: "Programmes", href: "/programmes", current: current == "programmes"))
            nav.append(NavItem(label: "My matches", href: "/matches", current: current == "matches"))
            nav.append(NavItem(label: "Directory", href: "/people", current: current == "people"))
            nav.append(NavItem(label: "My profile", href: "/profile", current: current == "profile"))
            nav.append(NavItem(label: "Skills", href: "/skills", current: current == "skills"))
            if identity.role >= .programmeManager {
                nav.append(NavItem(label: "Skills map", href: "/skills/map", current: current == "map"))
            }
            if identity.role >= .admin {
                nav.append(NavItem(label: "Members", href: "/admin/members", current: current == "members"))
                nav.append(NavItem(label: "Audit log", href: "/admin/audit", current: current == "audit"))
                nav.append(NavItem(label: "Jobs", href: "/admin/jobs", current: current == "jobs"))
                nav.append(NavItem(label: "Webhooks", href: "/admin/webhooks", current: current == "webhooks"))
                nav.append(NavItem(label: "Provisioning", href: "/admin/provisioning", current: current == "provisioning"))
                nav.append(NavItem(label: "Sign-in security", href: "/admin/sign-in-security", current: current == "sign-in-security"))
                nav.append(NavItem(label: "Privacy", href: "/admin/privacy", current: current == "privacy-admin"))
            }
            nav.append(NavItem(label: "API tokens", href: "/account/tokens", current: current == "tokens"))
            nav.append(NavItem(label: "Two-factor sign-in", href: "/account/two-factor", current: current == "two-factor"))
            nav.append(NavItem(label: "Your data", href: "/account/privacy", current: current == "privacy"))
            if identity.organisationCount > 1 {
                nav.append(NavItem(label: "Switch organisation", href: "/organisations", current: current == "organisations"))
            }
        }
        self.nav = nav
    }
}

struct NavItem {
    let label: String
    let href: String
    let current: Bool
}
