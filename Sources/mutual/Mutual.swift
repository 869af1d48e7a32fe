import ArgumentParser

/// `mutual`: the Mutual server and its tools.
@main
struct Mutual: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutual",
        abstract: "Mutual: a self-hostable platform for peer and mutual mentoring programmes.",
        discussion: """
            Start here:
              mutual serve --demo     serve Mutual on http://127.0.0.1:8080 with a demo organisation
              mutual serve            serve Mutual; an empty database leads to the first-run setup page

            Configuration comes from flags, then environment variables, then a .env file, then defaults.
            Run `mutual serve --help` for the list.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DemoCommand.self, ImportCommand.self, ExportCommand.self, MatchCommand.self,
            GenerateCommand.self, ImpactCommand.self, TwoFactorOffCommand.self,
        ])
}
