import ArgumentParser
import DialogueContracts
import Foundation
import Identity
import Logging
import PostgresNIO
import ServiceKit
import Storage

extension DialogueCtl {
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Manage staff accounts (DATABASE_URL of the gateway's role).", subcommands: [CreateStaff.self]
        )

        struct CreateStaff: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create-staff",
                abstract: "Create a staff account, or give an existing one these roles and a new password.",
                discussion: """
                    With --password-stdin the password is read from standard input (never from the command line, \
                    where other users of the machine could read it). Without it, the account gets an invitation \
                    mail with a link to choose a password (PUBLIC_BASE_URL gives the site's address).
                    """
            )

            @Option(help: "The staff member's e-mail address.") var email: String
            @Option(name: .customLong("role"), help: "A role: administrator, moderator, staff or analyst (repeat for several).")
            var roles: [String]
            @Option(help: "The name shown in the back-office.") var name: String?
            @Flag(help: "Read the password from standard input.") var passwordStdin = false

            func validate() throws {
                guard EmailAddress.isValid(email) else { throw ValidationError("not an e-mail address: \(email)") }
                let unknown = roles.filter { StaffRole(rawValue: $0) == nil }
                guard unknown.isEmpty else {
                    throw ValidationError("unknown role(s) \(unknown.joined(separator: ", ")); choose from \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard !roles.isEmpty else { throw ValidationError("give at least one --role") }
            }

            func run() async throws {
                let (database, baseURL, cost) = try settings { reader in
                    (
                        reader.parse("DATABASE_URL", reader.required("DATABASE_URL", secret: true)) { try DatabaseSettings(url: $0, maximumConnections: 2) },
                        reader.optional("PUBLIC_BASE_URL", default: "http://localhost:8080"),
                        reader.integer("BCRYPT_COST", default: 12, in: 4...16)
                    )
                }
                var password: String?
                if passwordStdin {
                    password = readLine(strippingNewline: true) ?? ""
                    if let weakness = PasswordHasher.weakness(of: password!) { throw ValidationError(weakness) }
                }
                let roles = Set(roles.compactMap(StaffRole.init(rawValue:)))
                let client = database!.makeClient(searchPath: ServiceName.gateway.schema, logger: logger)
                let account = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    defer { group.cancelAll() }
                    // The gateway may never have run yet: its tables come first.
                    try await Migrator(client: client, logger: logger)
                        .migrate(try SchemaMigrations(schema: ServiceName.gateway.schema, directory: IdentitySchema.migrationsDirectory))
                    let accounts = AccountStore(client: client, logger: logger)
                    if let password {
                        let hash = try await PasswordHasher(cost: UInt8(cost)).hash(password)
                        return try await accounts.upsertStaff(email: email, displayName: name, roles: roles, passwordHash: hash)
                    }
                    return try await accounts.createStaff(email: email, displayName: name, roles: roles, links: LinkBuilder(baseURL: baseURL), by: nil)
                }
                let how = password == nil ? "an invitation mail is on its way" : "it can sign in now"
                print("staff account \(account.email) (\(account.roles.sorted().map(\.rawValue).joined(separator: ", "))): \(how)")
            }
        }
    }
}
