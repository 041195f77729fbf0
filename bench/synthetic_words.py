"""The synthetic archive's words: sections, people's names, genres, work titles,
verdicts and the other parts of titles, agencies, and the short default text
(titles, sentences and bodies made of them). No Django here."""

import random

# (name, slug, weight): reviews and news make most of a culture magazine.
SECTIONS = [
    ("News", "news", 5),
    ("Critique", "critique", 8),
    ("Interview", "interview", 2),
    ("Dossier", "dossier", 1),
    ("Portrait", "portrait", 1),
    ("Chronique", "chronique", 2),
    ("Reportage", "reportage", 1),
    ("Agenda", "agenda", 1),
]
FIRST_NAMES = (
    "Camille", "Claire", "Louis", "Jeanne", "Hugo", "Léa", "Julien", "Manon", "Antoine", "Chloé",
    "Mathieu", "Inès", "Nicolas", "Sarah", "Thomas", "Élise", "Pierre", "Agathe", "Rémi", "Lucie",
    "Benoît", "Margaux", "Olivier", "Zoé", "Yann", "Hélène",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Chevalier",
)  # fmt: skip
# Genres with their grammatical gender, so that "Comédie italienne" agrees.
GENRES = [
    ("Polar", "m"), ("Comédie", "f"), ("Drame", "m"), ("Documentaire", "m"),
    ("Thriller", "m"), ("Western", "m"), ("Science-fiction", "f"), ("Animation", "f"),
    ("Roman", "m"), ("Bande dessinée", "f"), ("Poésie", "f"), ("Essai", "m"),
    ("Rock", "m"), ("Jazz", "m"), ("Chanson", "f"), ("Opéra", "m"), ("Théâtre", "m"),
    ("Danse", "f"), ("Photographie", "f"), ("Série", "f"), ("Horreur", "f"),
    ("Mélodrame", "m"), ("Musique", "f"), ("Cinéma", "m"), ("Fantasy", "f"),
]  # fmt: skip
ADJECTIVES = [
    ("français", "française"), ("américain", "américaine"), ("japonais", "japonaise"),
    ("coréen", "coréenne"), ("italien", "italienne"), ("britannique", "britannique"),
    ("nordique", "nordique"), ("africain", "africaine"), ("indépendant", "indépendante"),
    ("expérimental", "expérimentale"), ("historique", "historique"),
    ("fantastique", "fantastique"), ("politique", "politique"), ("noir", "noire"),
    ("contemporain", "contemporaine"), ("classique", "classique"), ("allemand", "allemande"),
    ("psychédélique", "psychédélique"), ("latino-américain", "latino-américaine"),
    ("québécois", "québécoise"),
]  # fmt: skip
WORK_HEADS = (
    "La Nuit", "Le Silence", "Les Ombres", "L'Été", "La Mer", "Le Dernier Voyage", "Les Enfants",
    "La Maison", "Le Cri", "Les Lumières", "La Fugue", "Le Jardin", "Les Oiseaux", "La Chambre",
    "Le Passage", "L'Hiver", "La Frontière", "Le Mensonge", "Les Heures", "La Promesse",
)  # fmt: skip
WORK_TAILS = (
    "du port", "de Marseille", "sans fin", "d'automne", "des anges", "au bout du monde",
    "de la ville", "sans retour", "au bord du lac", "des autres", "du Nord", "d'Istanbul",
    "de minuit", "en mer", "à Lisbonne",
)  # fmt: skip
VERDICTS = (
    "un polar qui tient ses promesses", "la belle surprise de la rentrée",
    "un premier film maîtrisé", "une déception", "le chef-d'œuvre de l'année ?",
    "un retour en grâce", "trop sage pour convaincre", "une réussite fragile",
    "l'audace récompensée", "un exercice de style", "on a aimé, un peu", "une fresque ambitieuse",
)  # fmt: skip
QUOTES = (
    "Je filme ce que je ne comprends pas", "Tout part d'une image", "Le doute est mon moteur",
    "J'écris pour ne pas oublier", "La scène reste mon refuge", "Il faut savoir se taire",
    "Chaque disque est un adieu", "On ne sort jamais indemne d'un tournage",
)  # fmt: skip
EVENTS = (
    "Festival de Cannes", "Festival d'Angoulême", "Les Victoires de la musique",
    "Festival d'Avignon", "La Mostra de Venise", "Le Salon du livre", "Les Césars",
    "La Fête de la musique", "Les Eurockéennes",
)  # fmt: skip
NEWS = (
    "le palmarès", "la sélection officielle", "ce qu'il faut retenir", "les premières annonces",
    "une édition sous tension", "le bilan", "les coups de cœur de la rédaction",
)  # fmt: skip
AGENCIES = (
    "AFP", "Gamma", "Sipa", "Magnum", "Studio Harcourt", "Pathé", "Gaumont", "Wild Bunch", "Arte",
    "Le Pacte",
)  # fmt: skip
WORDS = (
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "à", "dans", "sur", "avec", "pour",
    "sans", "mais", "ou", "donc", "car", "qui", "que", "dont", "film", "série", "roman", "récit",
    "scène", "plan", "image", "lumière", "musique", "voix", "silence", "personnage", "histoire",
    "réalisateur", "réalisatrice", "actrice", "acteur", "écrivain", "autrice", "chanteur",
    "groupe", "album", "disque", "chapitre", "regard", "mémoire", "temps", "ville", "nuit", "mer",
    "été", "hiver", "famille", "enfance", "amour", "guerre", "exil", "tendresse", "colère",
    "humour", "mélancolie", "violence", "beauté", "vérité", "mensonge", "désir", "peur", "espoir",
    "beau", "belle", "lent", "lente", "sombre", "lumineux", "lumineuse", "fragile", "juste",
    "drôle", "cruel", "cruelle", "étrange", "intime", "ample", "sobre", "précis", "précise", "vif",
    "vive", "tendre", "brutal", "profond", "profonde", "nouveau", "nouvelle", "dernier",
    "dernière", "premier", "première", "grand", "grande", "petit", "petite", "filme", "raconte",
    "montre", "écrit", "chante", "joue", "suit", "cherche", "trouve", "perd", "garde", "ouvre",
    "ferme", "traverse", "interroge", "refuse", "construit", "dévoile", "emporte", "touche",
    "bouscule", "rappelle", "toujours", "jamais", "encore", "souvent", "enfin", "peut-être",
    "presque", "trop", "très", "si", "aussi", "déjà", "ici", "ailleurs", "ensemble", "longtemps",
    "parfois", "vraiment",
)  # fmt: skip


def _title(rng: random.Random, section: str) -> str:
    if section == "critique":
        return f"« {_work_title(rng)} » : {rng.choice(VERDICTS)}"
    if section == "interview":
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return f"{person} : « {rng.choice(QUOTES)} »"
    if section in ("news", "agenda"):
        return f"{rng.choice(EVENTS)} : {rng.choice(NEWS)}"
    return f"{_work_title(rng)}, {rng.choice(VERDICTS)}"


def _work_title(rng: random.Random) -> str:
    return f"{rng.choice(WORK_HEADS)} {rng.choice(WORK_TAILS)}"


def _body(rng: random.Random) -> str:
    """About 300 words in 5 paragraphs of plain words: nothing for the sanitiser to change."""
    paragraphs = (
        " ".join(_sentence(rng, 10, 20) for _ in range(rng.randint(3, 5))) for _ in range(5)
    )
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _sentence(rng: random.Random, shortest: int, longest: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(shortest, longest))
    return " ".join(words).capitalize() + "."
