"""Page labels in English and French; the engine's reasons come translated already."""

from __future__ import annotations

LANGS = ("en", "fr")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Artisan sourcing", "buyer_page": "Sourcing request", "team_page": "Project team",
        "login": "Sign in", "logout": "Sign out", "api_key": "API key", "bad_key": "Unknown or revoked API key.",
        "signed_in_as": "Signed in as", "buyer_name": "Your company", "buyer_country": "Your country (ISO code)",
        "buyer_type": "Buyer type", "description": "What are you looking for?",
        "products": "Products (separate with ;)",
        "materials": "Materials", "quantity": "Quantity (units)", "max_lead_time_days": "Delivery within (days)",
        "max_unit_price_eur": "Maximum unit price (EUR)",
        "required_certifications": "Required certifications (must-have)",
        "preferred_certifications": "Preferred certifications", "sustainability": "Sustainability wishes",
        "customization_required": "Custom designs required", "samples_required": "Samples required",
        "export_experience_required": "Export experience required", "preferred_countries": "Preferred countries",
        "must": "Must-haves", "wishes": "Nice to have", "submit": "Find suppliers", "results": "Ranked suppliers",
        "score": "score", "met": "met", "missing": "missing", "no_results": "No eligible supplier.",
        "fix_errors": "Please correct the fields marked below.", "ineligible": "does not meet a must-have",
        "suppliers": "Suppliers", "search": "Search", "country": "Country", "cluster": "Cluster",
        "product": "Product", "filter": "Filter", "upload": "Upload a supplier sheet", "strict": "All or nothing",
        "import": "Import", "report": "Import report", "rejected": "Rejected", "shortlist": "Fair shortlist",
        "top_k": "Suppliers per buyer", "build": "Build", "download": "Download", "no_requests":
        "No stored requests yet.", "buyer": "Buyer", "supplier": "Supplier", "why": "Why", "forbidden":
        "Your key does not give access to this page.", "contact": "Contact", "employees": "Employees",
        "capacity": "Capacity / month", "choose": "-", "choose_file": "Choose a file to upload.",
        "refine": "First %d shown: refine the search to see others.", "fairs": "B2B fair plans",
        "plan_fair": "Plan a fair (YAML or JSON)", "meetings": "meetings", "value": "value",
        "per_supplier": "meetings per supplier min/median/max", "below_target": "suppliers below target",
        "mutual": "mutual wishes met", "when": "When", "table": "Table", "outcome": "Outcome", "save": "Save",
        "outcome_not_held": "did not take place", "outcome_no_interest": "no interest",
        "outcome_follow_up": "follow-up planned", "outcome_cooperation_possible": "cooperation possible",
        "outcome_agreement": "agreement reached",
    },
    "fr": {
        "title": "Sourcing artisanal", "buyer_page": "Demande de sourcing", "team_page": "Équipe projet",
        "login": "Se connecter", "logout": "Se déconnecter", "api_key": "Clé d'API", "bad_key":
        "Clé d'API inconnue ou révoquée.", "signed_in_as": "Connecté en tant que", "buyer_name": "Votre entreprise",
        "buyer_country": "Votre pays (code ISO)", "buyer_type": "Type d'acheteur",
        "description": "Que recherchez-vous ?", "products": "Produits (séparés par ;)", "materials": "Matières",
        "quantity": "Quantité (pièces)", "max_lead_time_days": "Livraison sous (jours)",
        "max_unit_price_eur": "Prix unitaire maximum (EUR)",
        "required_certifications": "Certifications exigées (impératif)",
        "preferred_certifications": "Certifications souhaitées", "sustainability": "Souhaits de durabilité",
        "customization_required": "Modèles sur mesure exigés", "samples_required": "Échantillons exigés",
        "export_experience_required": "Expérience à l'export exigée", "preferred_countries": "Pays préférés",
        "must": "Impératifs", "wishes": "Souhaits", "submit": "Trouver des fournisseurs",
        "results": "Fournisseurs classés", "score": "score", "met": "rempli", "missing": "manquant",
        "no_results": "Aucun fournisseur éligible.", "fix_errors": "Veuillez corriger les champs signalés.",
        "ineligible": "ne remplit pas un impératif", "suppliers": "Fournisseurs", "search": "Rechercher",
        "country": "Pays", "cluster": "Cluster", "product": "Produit", "filter": "Filtrer",
        "upload": "Importer une fiche fournisseurs", "strict": "Tout ou rien", "import": "Importer",
        "report": "Rapport d'import", "rejected": "Rejetées", "shortlist": "Liste courte du salon",
        "top_k": "Fournisseurs par acheteur", "build": "Construire", "download": "Télécharger",
        "no_requests": "Aucune demande enregistrée.", "buyer": "Acheteur", "supplier": "Fournisseur",
        "why": "Pourquoi", "forbidden": "Votre clé ne donne pas accès à cette page.", "contact": "Contact",
        "employees": "Effectif", "capacity": "Capacité / mois", "choose": "-",
        "choose_file": "Choisissez un fichier à importer.",
        "refine": "Les %d premiers sont affichés : affinez la recherche pour voir les autres.",
        "fairs": "Plans de salon B2B", "plan_fair": "Planifier un salon (YAML ou JSON)", "meetings": "rendez-vous",
        "value": "valeur", "per_supplier": "rendez-vous par fournisseur min/médiane/max",
        "below_target": "fournisseurs sous l'objectif", "mutual": "souhaits mutuels satisfaits", "when": "Quand",
        "table": "Table", "outcome": "Résultat", "save": "Enregistrer", "outcome_not_held": "n'a pas eu lieu",
        "outcome_no_interest": "pas d'intérêt", "outcome_follow_up": "suite prévue",
        "outcome_cooperation_possible": "coopération possible", "outcome_agreement": "accord conclu",
    },
}

FACTOR_LABELS = {
    "en": {"semantic": "Text similarity", "product": "Product", "capacity": "Capacity", "min_order": "Minimum order",
           "lead_time": "Lead time", "price": "Price", "certifications": "Certifications",
           "sustainability": "Sustainability", "materials": "Materials", "export": "Export experience",
           "language": "Language", "country": "Country"},
    "fr": {"semantic": "Similarité du texte", "product": "Produit", "capacity": "Capacité",
           "min_order": "Commande minimum", "lead_time": "Délai", "price": "Prix", "certifications": "Certifications",
           "sustainability": "Durabilité", "materials": "Matières", "export": "Expérience export",
           "language": "Langue", "country": "Pays"},
}
for _lang, _factors in FACTOR_LABELS.items():
    LABELS[_lang].update({f"factor_{k}": v for k, v in _factors.items()})

# The engine's validation messages are English; the common ones read in French here.
FIELD_MESSAGES_FR = {
    "is required": "obligatoire",
    "must not be empty": "ne doit pas être vide",
    "needs at least one value": "au moins une valeur",
    "unknown field": "champ inconnu",
}


def pick(lang: str | None, accept: str = "") -> str:
    if lang in LANGS:
        return lang  # type: ignore[return-value]
    return "fr" if accept.lower().startswith("fr") else "en"


def field_message(message: str, lang: str) -> str:
    if lang != "fr":
        return message
    for en, fr in FIELD_MESSAGES_FR.items():
        if message == en:
            return fr
    return message
