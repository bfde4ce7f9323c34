public import Foundation

/// The `identity` schema's migrations, shipped with the library that reads and writes it, so
/// the gateway and `dialoguectl` migrate it from the same files.
public enum IdentitySchema {
    /// The numbered SQL files of schema `identity`.
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }
}
