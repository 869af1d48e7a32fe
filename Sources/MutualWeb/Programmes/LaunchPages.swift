import Foundation
import Hummingbird
import MutualStore

/// A programme's launch page (`/programmes/:id/launch`): email a filtered audience (department,
/// level, location, skill, or a pasted list) an invitation to enrol, and see each send with how
/// many of its recipients enrolled since.
struct LaunchPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/launch", role: .programmeManager, show)
        routes.member(.post, "/programmes/:id/launch", role: .programmeManager, send)
    }

    struct SendRow { let sent: String, sentBy: String, audience: String, recipients: Int, invited: Int, enrolled: Int, share: String, reminder: String }
    struct LaunchPage {
        let page: PageChrome
        let id: String, programme: String
        let enrolmentOpen: Bool, selfEnrolment: Bool, closes: String
        let sends: [SendRow], hasSends: Bool
        var form = MemberPages.BulkForm()
        var notice = "", error = ""
    }

    private func render(_ context: SignedInContext, id: UUID, form: MemberPages.BulkForm = .init(), notice: String = "", error: StoreError? = nil) async throws -> Response {
        let detail = try await store.programme(id: id, of: context.identity)
        let launches = try await store.programmeLaunches(id, of: context.identity)
        let day = MemberPages.dayFormatter
        let sends = launches.map { launch in
            SendRow(
                sent: MemberPages.dateFormatter.string(from: launch.sentAt), sentBy: launch.sentBy, audience: launch.audience,
                recipients: launch.recipients, invited: launch.invited, enrolled: launch.enrolled,
                share: launch.recipients == 0 ? "—" : "\(Int((Double(launch.enrolled) / Double(launch.recipients) * 100).rounded())) %",
                reminder: launch.remindedAt.map { "Sent \(day.string(from: $0)) to \(launch.reminded)" }
                    ?? launch.reminderAt.map { "Due \(day.string(from: $0))" } ?? "None (no enrolment deadline)")
        }
        var model = LaunchPage(
            page: pages.chrome(title: "Launch \(detail.draft.name)", context: context, current: "programmes"), id: id.uuidString,
            programme: detail.draft.name, enrolmentOpen: detail.enrolmentOpen, selfEnrolment: detail.draft.selfEnrolment,
            closes: detail.draft.enrolmentCloses, sends: sends, hasSends: !sends.isEmpty)
        model.form = form
        model.notice = notice
        model.error = error?.errorDescription ?? ""
        return try pages.render("programme-launch", model, status: error.map { APIProblem($0).status } ?? .ok)
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await render(context, id: try MemberPages.uuid(context.parameters.get("id"), what: "programme"))
    }

    @Sendable func send(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let form = MemberPages.BulkForm(
            department: context.form["department"] ?? "", level: context.form["level"] ?? "", location: context.form["location"] ?? "",
            skill: context.form["skill"] ?? "", people: context.form["people"] ?? "")
        do {
            let audience = InvitationAudience(
                department: form.department, level: try LaunchesAPI.level(form.level), location: form.location, skill: form.skill,
                pastedList: form.people)
            let result = try await store.launchProgramme(id, audience: audience, by: context.identity)
            return try await render(context, id: id, notice: Self.words(result))
        } catch let error as StoreError where error.isInputProblem {
            return try await render(context, id: id, form: form, error: error)
        }
    }

    /// What a launch did, in a sentence or three.
    static func words(_ result: LaunchResult) -> String {
        var parts = ["Emailed \(result.recipients) \(result.recipients == 1 ? "person" : "people") an invitation to enrol."]
        if result.invited > 0 { parts.append("\(result.invited) of them had no account and got a link that sets one up first.") }
        if let reminder = result.reminderAt {
            parts.append("Those who have not enrolled by \(MemberPages.dayFormatter.string(from: reminder)) get one reminder.")
        }
        var skipped: [String] = []
        if result.alreadyEnrolled > 0 { skipped.append("\(result.alreadyEnrolled) already enrolled") }
        if result.withoutEmail > 0 { skipped.append("\(result.withoutEmail) without an email address") }
        if result.unreachable > 0 { skipped.append("\(result.unreachable) with an older pending invitation (withdraw it on the members page to send a new one)") }
        if !skipped.isEmpty { parts.append("Not emailed: " + skipped.joined(separator: ", ") + ".") }
        if !result.unknownEntries.isEmpty {
            let shown = result.unknownEntries.prefix(10).joined(separator: ", ")
            parts.append("Not in the directory: \(shown)\(result.unknownEntries.count > 10 ? " and \(result.unknownEntries.count - 10) more" : "").")
        }
        return parts.joined(separator: " ")
    }
}
