import FluentKit

/// 011: a programme's own enrolment questions and each enrolled person's answers.
struct AddEnrolmentQuestions011: AsyncMigration {
    var name: String { "011_enrolment_questions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema).field("questions", .string, .required, .sql(.default(""))).update()
        try await database.schema(Enrolment.schema).field("answers", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).deleteField("answers").update()
        try await database.schema(Programme.schema).deleteField("questions").update()
    }
}
