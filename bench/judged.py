"""Judged sets: French queries whose right first result is a known article.

The first (``planted``, ``judged``) is bench/search.py's: 25 targets planted in
the synthetic archive. The second (``trust_set``, at the end) is
bench/relevance.py's: 300 queries in sets, on short texts written for it.

Each topic plants one target (its title holds every query word, as written in
the article: plural, accented, elided) and three decoys that hold the same
words where they weigh less: two in their body only, one with the first words
in its title and the last in its body. The queries paraphrase the title the
way readers type: singular for plural (or the reverse), no accents, elisions
dropped or added, another word order, a hyphenated compound. The background
archive holds many of these words too (they come from the demo's vocabulary).

Reciprocal rank of the target in the first 10 results, averaged: MRR@10.
"""

from dataclasses import dataclass

from bench.synthetic import VERDICTS, Planted, elide

# (title of the target, its standfirst, the reader's query)
TOPICS = (
    ("Les pêcheurs d’huîtres de l’île d’Oléron",
     "Sur l’île, une saison avec ceux qui vivent de la marée.",
     "pecheur huitre oleron"),
    ("L’enfance d’un chef d’orchestre à Budapest",
     "Souvenirs d’une jeunesse passée entre les pupitres.",
     "l'enfance d'un chef d'orchestre budapest"),
    ("Les dernières heures du vaisseau fantôme",
     "Un récit d’aventures maritimes, lent et fiévreux.",
     "derniere heure vaisseau fantome"),
    ("Chroniques des volcans d’Auvergne",
     "Une série documentaire au pied des puys.",
     "chronique volcan auvergne"),
    ("Le théâtre d’ombres des marionnettistes javanais",
     "Une tournée rare, et une tradition qui vacille.",
     "marionnettiste javanais theatre ombre"),
    ("Une fresque sur les mineurs de charbon du Nord",
     "Trois générations racontées sans misérabilisme.",
     "fresque mineur charbon"),
    ("Les cerfs-volants de Valparaíso",
     "Le ciel du port chilien, un dimanche de vent.",
     "cerf-volant valparaiso"),
    ("Quand l’hiver s’installe sur les fjords norvégiens",
     "Un road-movie glacé, presque muet.",
     "hiver fjord norvegien"),
    ("Les luthiers de Crémone et leurs violons oubliés",
     "Enquête dans les ateliers d’une ville qui vit de la musique.",
     "luthier cremone violon oublie"),
    ("L’architecte des gratte-ciel de Chicago",
     "Portrait d’un bâtisseur obsédé par la lumière.",
     "architectes gratte-ciel chicago"),
    ("Les abeilles noires des Cévennes",
     "Un apiculteur, ses ruches et la sécheresse.",
     "abeille noire cevennes"),
    ("Requiem pour les cheminots de Tergnier",
     "La fermeture d’un dépôt, racontée par ceux qui y ont travaillé.",
     "requiem cheminot tergnier"),
    ("Les brodeuses de Calais et la dentelle mécanique",
     "Les métiers Leavers tournent encore, pour combien de temps ?",
     "dentelle mecanique brodeuse calais"),
    ("Dans l’atelier des souffleurs de verre de Murano",
     "Le feu, le souffle et la patience.",
     "souffleur verre murano atelier"),
    ("Les naufragés de l’archipel des Kerguelen",
     "Un roman d’aventures australes, sans héros.",
     "naufrage kerguelen archipel"),
    ("La chorale des dockers de Saint-Nazaire",
     "Ils chantent après le quart, et ils chantent juste.",
     "chorale docker saint-nazaire"),
    ("Les horlogers du Jura face à la montre connectée",
     "Une filière inquiète, des artisans obstinés.",
     "horloger jura montres connectees"),
    ("Éloge des bibliothèques itinérantes",
     "Le bibliobus passe le mardi, et tout le village l’attend.",
     "eloge bibliotheque itinerante"),
    ("Les funambules de la place Rouge",
     "Un documentaire suspendu entre deux époques.",
     'funambule "place rouge"'),
    ("L’orgue de barbarie du marché aux puces",
     "Chaque dimanche, un air de java sous les parapluies.",
     "l’orgue barbarie puces"),
    ("Les cartographes oubliés de l’expédition Baudin",
     "Une exposition rend justice aux dessinateurs du voyage.",
     "cartographe expedition baudin"),
    ("Sur les traces des bergers transhumants du Vercors",
     "Trois semaines de marche avec un troupeau.",
     "berger transhumant vercors"),
    ("Les typographes de l’Imprimerie nationale",
     "Le plomb, les casses et la mémoire des caractères.",
     "typographe imprimerie nationale"),
    ("Les ébénistes du faubourg Saint-Antoine",
     "Un siècle d’ateliers au fond des cours.",
     "ebeniste faubourg saint antoine"),
    ("Un hiver chez les gardiens de phare d’Ouessant",
     "La relève, les tempêtes, et les longues nuits.",
     "gardien phare ouessant hiver"),
)  # fmt: skip

# Words of a title that are not worth planting in decoys.
_SMALL = frozenset("le la les l un une des de du d à au aux et sur dans chez pour quand".split())  # noqa: SIM905


@dataclass(frozen=True)
class Judged:
    query: str
    title: str  # the target's title: its id is looked up after the archive is built


def _content_words(title: str) -> tuple[str, ...]:
    words = []
    for word in title.replace("’", " ").replace("'", " ").split():
        if word.lower() not in _SMALL:
            words.append(word)
    return tuple(words)


def planted() -> list[Planted]:
    """The targets and their decoys, in a fixed order."""
    out = []
    for n, (title, standfirst, _query) in enumerate(TOPICS):
        words = _content_words(title)
        out.append(Planted(title=title, standfirst=standfirst, words=words))
        out.append(Planted(words=words))
        out.append(Planted(words=tuple(reversed(words))))
        head = elide(" ".join(words[:-1]))
        verdict = VERDICTS[n % len(VERDICTS)]
        out.append(Planted(title=f"{head[:1].upper()}{head[1:]} : {verdict}", words=words[-1:]))
    return out


def judged() -> list[Judged]:
    return [Judged(query=query, title=title) for title, _standfirst, query in TOPICS]


# --- The trust set of bench/relevance.py ------------------------------------------
# Short texts written for the benchmark, built from the tables below: each query
# set tests one way readers type (see bench/relevance.py). Nothing here comes from
# a real archive.

PLACES = (
    "Brest", "Colmar", "Nantes", "Rouen", "Lorient", "Vannes", "Tours", "Nîmes", "Sète",
    "Bastia", "Millau", "Rodez", "Dole", "Laval", "Niort", "Béziers", "Besançon", "Périgueux",
    "Mâcon", "Valence", "Cognac", "Gap", "Digne", "Tulle", "Guéret", "Morlaix", "Dinan",
    "Cahors", "Foix", "Quimper", "Saintes", "Fécamp", "Lisieux", "Vendôme", "Sedan", "Péronne",
    "Figeac", "Bayeux", "Cholet", "Privas",
)  # fmt: skip
FEMININE = (
    ("pièce", "pièces"), ("comédie", "comédies"), ("fresque", "fresques"),
    ("chanson", "chansons"), ("chorale", "chorales"), ("revue", "revues"),
    ("tournée", "tournées"), ("rétrospective", "rétrospectives"), ("collection", "collections"),
    ("bibliothèque", "bibliothèques"), ("cathédrale", "cathédrales"),
    ("sculpture", "sculptures"), ("galerie", "galeries"), ("fontaine", "fontaines"),
    ("chapelle", "chapelles"), ("vitrine", "vitrines"), ("médiathèque", "médiathèques"),
    ("piscine", "piscines"), ("biennale", "biennales"), ("halle", "halles"),
)  # fmt: skip
MASCULINE = (
    ("festival", "festivals"), ("spectacle", "spectacles"), ("concert", "concerts"),
    ("film", "films"), ("musée", "musées"), ("théâtre", "théâtres"), ("carnaval", "carnavals"),
    ("salon", "salons"), ("documentaire", "documentaires"), ("carillon", "carillons"),
    ("cirque", "cirques"), ("kiosque", "kiosques"), ("manège", "manèges"),
    ("moulin", "moulins"), ("phare", "phares"), ("tableau", "tableaux"), ("vitrail", "vitraux"),
    ("jardin", "jardins"), ("pavillon", "pavillons"), ("marché", "marchés"),
)  # fmt: skip
# Verbs in -er, without their ending: the participle is stem + é / ée / és / ées.
VERBS = (
    "annul", "prim", "adapt", "inaugur", "restaur", "censur", "récompens", "sélectionn",
    "programm", "report", "consacr", "célébr", "dédi", "réalis", "inspir", "déclar", "class",
    "rénov", "salu", "illustr", "numéris", "sauv", "boud",
)  # fmt: skip
VOWEL_NOUNS = (
    "abbaye", "atelier", "orgue", "usine", "horloge", "arène", "école", "île", "observatoire",
    "escalier", "aqueduc", "écluse", "entrepôt", "oratoire", "auberge", "imprimerie", "église",
    "opéra", "hippodrome", "estuaire",
)  # fmt: skip
VOWEL_PLACES = (
    "Oloron", "Évian", "Ambert", "Aurillac", "Ussel", "Étampes", "Istres", "Yvetot", "Agde",
    "Apt", "Uzès", "Annonay", "Oyonnax", "Autun", "Avallon", "Issoire", "Ornans", "Elbeuf",
    "Argentan", "Épernay",
)  # fmt: skip
TAILS = (
    "rouvre ses portes", "cherche un repreneur", "fête ses cent ans", "attend ses visiteurs",
    "change de mains", "se raconte en images",
)  # fmt: skip
PASTED = (
    "VIDÉO - {place} : {det} {subject} {participle} après dix ans d’attente",
    "{place} : {det} {subject} {participle}, une première depuis 1987",
    "Direct - {place} : {det} {subject} {participle} malgré la polémique",
    "{place} : qu’en pensent les habitants ? {det} {subject} {participle}",
    "INFO - {det} {subject} {participle} à {place} : ce qu’il faut savoir",
)  # fmt: skip
AUTHORS = (
    ("Aïcha", "Morel"), ("Jean-Baptiste", "Lefèvre"), ("Éloïse", "Ndiaye"), ("Léon", "Dubreuil"),
    ("Inès", "Bouchard"), ("Mathéo", "Ferrand"), ("Noémie", "Castel"), ("Hélène", "Marchal"),
    ("Yanis", "Roussel"), ("Bérénice", "Vasseur"),
)  # fmt: skip
# (query word, words that must not match it): different words a stemmer conflates.
FALSE_FRIENDS = (
    ("marais", ("mars", "marie")), ("mars", ("marais", "marée")),
    ("marie", ("marée", "marais", "mars")),
    ("marée", ("mars", "mare")), ("mare", ("mars", "marée")), ("série", ("sera", "serait")),
    ("sera", ("série",)), ("serait", ("série",)), ("pot", ("pote",)), ("pote", ("pot",)),
    ("sel", ("selle",)), ("selle", ("sel",)), ("sol", ("sole",)), ("sole", ("sol",)),
    ("purée", ("pur",)), ("pur", ("purée",)), ("durée", ("dur",)), ("dur", ("durée",)),
    ("gare", ("gars",)), ("gars", ("gare",)), ("cape", ("cap",)), ("cap", ("cape",)),
    ("dose", ("dos",)), ("dos", ("dose",)), ("visa", ("vis",)), ("vis", ("visa",)),
    ("rate", ("rat",)), ("rat", ("rate",)), ("rite", ("rit",)), ("Romane", ("roman",)),
)  # fmt: skip
# Filler: words that are none of the above, for the texts around them.
FILLER = (
    "le public", "la ville", "les habitants", "un soir", "cette année", "la saison",
    "les visiteurs", "la municipalité", "un artiste", "les bénévoles", "le quartier",
    "une foule", "les élus", "la presse locale", "un mécène", "les enfants", "la région",
)  # fmt: skip
FILLER_VERBS = (
    "attend", "découvre", "applaudit", "regarde", "accueille", "salue", "critique", "suit",
    "admire", "réclame", "visite", "finance",
)  # fmt: skip


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    standfirst: str
    body: str  # HTML
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    kind: str  # the query set
    query: str
    relevant: tuple[str, ...]  # story keys: any of them is a right first result
    forbidden: tuple[str, ...] = ()  # story keys that must not match at all


def _filler(rng, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        a, b = rng.sample(FILLER, 2)
        out.append(f"{a[:1].upper()}{a[1:]} {rng.choice(FILLER_VERBS)} {b}.")
    return " ".join(out)


def _body(rng, words: str = "", paragraphs: int = 3) -> str:
    parts = [_filler(rng, 5) for _ in range(paragraphs)]
    if words:
        parts[rng.randrange(paragraphs)] += f" {words}."
    return "\n".join(f"<p>{p}</p>" for p in parts)


def _participle(verb: str, feminine: bool, plural: bool = False) -> str:
    return verb + "é" + ("e" if feminine else "") + ("s" if plural else "")


def _fold(text: str) -> str:
    from search.analysis import fold

    return fold(text)


def trust_set(seed: int = 11) -> tuple[list[Story], list[Case]]:
    """The stories to index and the judged queries on them."""
    import random

    rng = random.Random(seed)
    stories: list[Story] = []
    cases: list[Case] = []
    _inflected(rng, stories, cases)
    _elided(rng, stories, cases)
    _pasted(rng, stories, cases)
    _names(rng, stories, cases)
    _false_friends(rng, stories, cases)
    return stories, cases


def _inflected(rng, stories: list, cases: list) -> None:
    for i, place in enumerate(PLACES):
        feminine = i % 2 == 0
        singular, plural = (FEMININE if feminine else MASCULINE)[i // 2]
        verb = VERBS[(i * 3) % len(VERBS)]
        det = "La" if feminine else "Le"
        part, parts = _participle(verb, feminine), _participle(verb, feminine, plural=True)
        key = f"story-{i}"
        stories.append(Story(key, f"{det} {singular} {part} à {place}",
                             f"À {place}, on ne parle que de cela.", _body(rng)))  # fmt: skip
        # Decoys: the same words, where they weigh less.
        stories.append(Story(f"{key}-a", f"{place} : la saison culturelle", _filler(rng, 2),
                             _body(rng, f"{singular} {verb}er")))  # fmt: skip
        stories.append(Story(f"{key}-b", "Chronique de la semaine", _filler(rng, 2),
                             _body(rng, f"{singular} {part} {place}", paragraphs=6)))  # fmt: skip
        other = _fold(_participle(verb, not feminine))
        cases += [
            Case("exact words", f"{singular} {part} {place}", (key,)),
            Case("other inflections", f"{plural} {parts} {place}", (key,)),
            Case("no accents", _fold(f"{singular} {part} {place}"), (key,)),
            Case("no accents, participle", f"{other} {_fold(place)}", (key,)),
        ]


def _elided(rng, stories: list, cases: list) -> None:
    for i, (noun, place) in enumerate(zip(VOWEL_NOUNS, VOWEL_PLACES, strict=True)):
        key = f"elided-{i}"
        title = f"L’{noun} d’{place} {TAILS[i % len(TAILS)]}"
        stories.append(Story(key, title, _filler(rng, 2), _body(rng)))
        stories.append(Story(f"{key}-a", f"{place}, une ville à part", _filler(rng, 2),
                             _body(rng, f"Un {noun} de la région", paragraphs=4)))  # fmt: skip
        lower = place.lower()
        cases += [
            Case("elisions '", f"l'{noun} d'{lower}", (key,)),
            Case("elisions ’", f"l’{noun} d’{place}", (key,)),
        ]


def _pasted(rng, stories: list, cases: list) -> None:
    for i in range(30):
        place = PLACES[(i * 7 + 3) % len(PLACES)]
        feminine = i % 2 == 1
        singular, _plural = (FEMININE if feminine else MASCULINE)[(i * 3 + 1) % 20]
        verb = VERBS[(i * 5 + 1) % len(VERBS)]
        det = "la" if feminine else "le"
        title = PASTED[i % len(PASTED)].format(
            place=place, det=det, subject=singular, participle=_participle(verb, feminine)
        )
        key = f"pasted-{i}"
        # The article itself is long; shorter ones on the same story share its words.
        stories.append(Story(key, title, _filler(rng, 3), _body(rng, paragraphs=30)))
        words = " ".join(w for w in title.replace("’", " ").split() if w.isalpha())
        short = f"{place} : {det} {singular} {_participle(verb, feminine)}"
        stories.append(Story(f"{key}-a", short, _filler(rng, 1), _body(rng, words, 1)))
        stories.append(Story(f"{key}-b", f"{short} (suite)", words, _body(rng, words, 1)))
        cases.append(Case("pasted titles", title, (key,)))


def _names(rng, stories: list, cases: list) -> None:
    for i, (first, last) in enumerate(AUTHORS):
        name = f"{first} {last}"
        keys = tuple(f"author-{i}-{n}" for n in range(3))
        for n, key in enumerate(keys):
            place = PLACES[(i * 3 + n) % len(PLACES)]
            stories.append(Story(key, f"Carnet de route : {place}, {n + 1}", _filler(rng, 2),
                                 _body(rng), authors=(name,)))  # fmt: skip
        folded_first = _fold(first).replace("-", " ")
        cases += [
            Case("names", f"auteur:{last}", keys),
            Case("names", f"auteur:{folded_first.split()[0]}", keys),
            Case("names", f'auteur:"{name}"', keys),
            Case("names", _fold(name), keys),
        ]


def _false_friends(rng, stories: list, cases: list) -> None:
    words = dict.fromkeys(w for pair in FALSE_FRIENDS for w in (pair[0], *pair[1]))
    for word in words:
        stories.append(Story(f"word-{_fold(word)}", f"Carnet du jour : {word}",
                             _filler(rng, 2), _body(rng, f"On y parle de {word}")))  # fmt: skip
    for word, others in FALSE_FRIENDS:
        forbidden = tuple(f"word-{_fold(o)}" for o in others)
        cases.append(Case("false friends", word, (f"word-{_fold(word)}",), forbidden))
