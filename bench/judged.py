"""A small judged set for bench/search.py: French queries whose right first
result is a known article, planted in the synthetic archive.

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
