/// How the author of a petition is named to the public.
enum PetitionAuthor {
    /// Shown when the author chose no display name: their address is never published instead.
    static let anonymous = "Participant anonyme"
}
