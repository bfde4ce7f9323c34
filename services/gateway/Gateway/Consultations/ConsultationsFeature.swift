/// Consultations: for staff, writing a consultation (texts with the plain-language hint,
/// themes, dates and extension, kinds accepted, moderation policy); for everyone, the list of
/// consultations (open first) and each one's page with its contributions; for signed-in
/// citizens with a confirmed address, contributing a testimony or a proposal.
struct ConsultationsFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [ConsultationNotice.self, OfflineContributionNotice.self]

    let web: WebDependencies

    init(web: WebDependencies) {
        self.web = web
    }

    func register(_ routes: FeatureRoutes) {
        ConsultationsAPI(web: web).register(on: routes.api.group("consultations"))
        StaffConsultationPages(web: web).register(on: routes.admin)
        PublicConsultationPages(web: web).register(on: routes.pages)
        ContributionPages(web: web).register(on: routes.pages, uploads: routes.uploads)
        ContributionAttachmentPages(web: web).register(pages: routes.pages, admin: routes.admin)
        ContributionAuthorPages(web: web).register(on: routes.pages)
        ContributionAnswerPages(web: web).register(pages: routes.pages, admin: routes.admin)
        ContributionCommentPages(web: web).register(on: routes.pages)
        OfflineContributionPages(web: web).register(on: routes.admin, adminUploads: routes.uploads.group("admin"))
        OfflineContributionsAPI(web: web).register(on: routes.api.group("consultations"))
    }
}

/// The notices of the consultation pages (see `PageNotice`).
enum ConsultationNotice: String, PageNotice {
    case saved = "consultation-enregistree"
    case contributionInModeration = "contribution-en-moderation"
    case contributionReceived = "contribution-recue"
    case supported = "soutien-enregistre"
    case supportWithdrawn = "soutien-retire"
    case contributionEdited = "contribution-modifiee"
    case contributionWithdrawn = "contribution-retiree"
    case answered = "suite-enregistree"
    case answerUnchanged = "suite-inchangee"
    case commentInModeration = "commentaire-en-moderation"
    case commentReceived = "commentaire-recu"

    var message: String {
        switch self {
        case .saved: "La consultation est enregistrée."
        case .contributionInModeration:
            "Merci ! Votre contribution est reçue : l'équipe de modération la relit avant de l'afficher. Retrouvez-la dans « Mes contributions » ci-dessous."
        case .contributionReceived: "Merci ! Votre contribution est reçue : elle s'affiche dans un instant, puis l'équipe de modération la relira."
        case .supported: "Votre soutien est enregistré. Vous pouvez le retirer à tout moment."
        case .supportWithdrawn: "Votre soutien est retiré."
        case .contributionEdited: "Votre contribution est modifiée : l'équipe de modération relit la nouvelle version."
        case .contributionWithdrawn: "Votre contribution est retirée."
        case .answered: "La suite donnée est enregistrée : les auteurs et ceux qui soutiennent ces contributions en sont informés."
        case .commentInModeration: "Merci ! Votre commentaire est reçu : l'équipe de modération le relit avant de l'afficher."
        case .commentReceived: "Merci ! Votre commentaire est reçu : il s'affiche dans un instant, puis l'équipe de modération le relira."
        case .answerUnchanged: "Ces contributions avaient déjà cette suite : rien n'a changé, personne n'est informé de nouveau."
        }
    }
}
