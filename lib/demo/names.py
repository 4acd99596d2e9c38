"""Word lists for the demo library: fictional artists, titles, labels and genres.

Every name is made up from these parts; none is a real artist, album, track or label.
"""

from __future__ import annotations

# Genre families: the genres of each family share a sound (see lib.demo.generator.FAMILY_SOUND).
GENRE_FAMILIES: dict[str, list[str]] = {
    "k-pop": ["k-pop", "k-pop girl group", "k-pop boy group", "k-r&b", "korean ost"],
    "j-pop": ["j-pop", "city pop", "j-rock", "anime", "shibuya-kei"],
    "pop": ["pop", "dance pop", "electropop", "indie pop", "bedroom pop"],
    "hip hop": ["hip hop", "trap", "conscious hip hop", "boom bap", "uk drill"],
    "r&b": ["r&b", "alternative r&b", "neo soul"],
    "electronic": ["house", "deep house", "techno", "drum and bass", "synthwave", "future garage"],
    "rock": ["indie rock", "alternative rock", "garage rock", "post-punk", "shoegaze"],
    "metal": ["metalcore", "doom metal", "power metal"],
    "folk": ["indie folk", "folk", "singer-songwriter", "americana"],
    "jazz": ["jazz", "bossa nova", "vocal jazz", "jazz fusion"],
    "classical": ["classical", "modern classical", "neoclassical piano", "baroque"],
    "soundtrack": ["soundtrack", "video game music", "anime score"],
    "latin": ["reggaeton", "latin pop", "urbano latino"],
    "ambient": ["ambient", "lo-fi beats", "chillhop"],
    "chanson": ["chanson", "french indie pop"],
}

# Which naming style artists of a family mostly use.
FAMILY_SCRIPT: dict[str, str] = {
    "k-pop": "korean", "j-pop": "japanese", "chanson": "accented", "latin": "accented",
    "classical": "accented",
}

FIRST_NAMES = [
    "Marlow", "Juniper", "Calla", "Rowan", "Tamsin", "Ezra", "Odessa", "Silas", "Wren", "Hollis",
    "Ines", "Caspian", "Delphine", "Arlo", "Maren", "Theo", "Lyra", "Bastian", "Noor", "Emery",
    "Sable", "Ronan", "Mira", "Desmond", "Ayla", "Felix", "Harper", "Idris", "Jonah", "Kit",
    "Leona", "Milo", "Nell", "Orla", "Quinn", "Rafferty", "Saoirse", "Tobias", "Vesper", "Zadie",
]
SURNAMES = [
    "Vance", "Ashdown", "Calloway", "Everly", "Fairweather", "Greaves", "Holloway", "Ingram",
    "Kingsley", "Lockhart", "Merriweather", "Northcott", "Oakes", "Pemberton", "Quayle", "Redfern",
    "Sterling", "Thorne", "Underhill", "Whitlock", "Yardley", "Blackwood", "Cartwright", "Dunmore",
    "Ellery", "Finch", "Galloway", "Hartley", "Ives", "Jessup",
]
ACCENTED_FIRST = [
    "Élodie", "Søren", "Joaquín", "Zoë", "Anaïs", "Björn", "Inés", "Mathéo", "Renée", "Łucja",
    "Álvaro", "Noémie", "Ömer", "Chloé", "Dário", "Maëlle", "Sebastián", "Ingrid", "Jürgen", "Aurélie",
]
ACCENTED_SURNAMES = [
    "Maréchal", "Blåholm", "Ibarra", "Kowalczyk", "Lefèvre", "Ødegård", "Núñez", "Brückner",
    "Castañeda", "Dvořák-Lind", "Fontaine", "Gómez Ruiz", "Håkansson", "Jiménez", "Lévêque",
    "Moreau", "Peña", "Rønning", "Strauß", "Villanueva",
]
BAND_ADJECTIVES = [
    "Velvet", "Paper", "Neon", "Silver", "Hollow", "Golden", "Quiet", "Electric", "Crimson",
    "Midnight", "Glass", "Wild", "Lunar", "Amber", "Static", "Violet", "Restless", "Northern",
    "Cobalt", "Saltwater",
]
BAND_NOUNS = [
    "Harbors", "Lanterns", "Foxes", "Satellites", "Orchards", "Comets", "Ghosts", "Rivers",
    "Tides", "Pilots", "Sparrows", "Machines", "Gardens", "Wolves", "Kites", "Signals", "Mirrors",
    "Cathedrals", "Parades", "Embers",
]
STAGE_NAMES = [
    "NOVAKAI", "Lumen", "KAIRO", "Solenne", "VANTA", "Orrin", "Mieko", "Zephyr Lane", "OKAYO",
    "Tovah", "Reverie", "BLUSHWAVE", "Halloran", "Juno Sky", "MAVRIK", "Pashmina", "Sundae",
    "Tallis", "ULTRAMARINE", "Yuzu Kid",
]
KPOP_GROUPS = [
    "LUMIA", "VIVIDREAM", "STARLIT", "AURORA9", "NEONBLOOM", "HEYDAY", "CLOVERIA", "ORBIT X",
    "SEOULMATES", "PRISMA", "DAYBREAK", "MOONCHILD", "ECLIPSE", "VELVETEEN", "HANA7", "SKYLINE",
]
KOREAN_SURNAMES = ["김", "이", "박", "최", "정", "강", "윤", "한", "서", "오"]
KOREAN_SYLLABLES = ["하", "윤", "서", "진", "민", "아", "지", "우", "은", "도", "예", "린", "준", "소", "현"]
KOREAN_WORDS = ["하늘빛", "별무리", "달그림자", "꽃잎", "바람결", "새벽녘", "물결", "은하수"]
JAPANESE_NAMES = [
    "ミズキ", "ハルカ", "ソラ", "ユイ", "カナデ", "ヒカリ", "アオイ", "レン", "ツバサ", "ナギ",
]
JAPANESE_BANDS = ["月見ソーダ", "夜光列車", "青い金曜日", "星屑ラジオ", "ねむいカフェ", "ガラスの街",
                  "夏休みクラブ", "東京ミラージュ"]
ROMAJI_FIRST = ["Haruka", "Sora", "Yui", "Kanade", "Ren", "Aoi", "Natsuki", "Rio", "Hinata", "Kaito"]
ROMAJI_SURNAMES = ["Mizuno", "Takahara", "Shiraishi", "Kurosawa", "Aizawa", "Hoshino", "Fujimura",
                   "Sakuragi"]

TITLE_ADJECTIVES = [
    "Paper", "Neon", "Silver", "Golden", "Quiet", "Electric", "Blue", "Midnight", "Glass", "Wild",
    "Slow", "Lucky", "Broken", "Sweet", "Cold", "Tender", "Burning", "Faded", "Hidden", "Endless",
    "Little", "Heavy", "Bright", "Lonely", "Summer", "Velvet", "Crooked", "Hollow", "Gentle", "Loud",
]
TITLE_NOUNS = [
    "Moons", "Rivers", "Hearts", "Streets", "Skies", "Dreams", "Lights", "Waves", "Letters",
    "Gardens", "Fires", "Roads", "Mornings", "Shadows", "Bridges", "Echoes", "Windows", "Stars",
    "Rooms", "Signals", "Oceans", "Cities", "Flowers", "Engines", "Horizons", "Promises", "Ghosts",
    "Mirrors", "Seasons", "Postcards",
]
TITLE_PHRASES = [
    "Call Me Back", "Don't Wake Me", "Every Little Thing", "Out of Reach", "Let It Fall",
    "Stay a While", "Into the Blue", "Run Away With Me", "Hold On Tight", "All I Wanted",
    "Nobody Knows", "Somewhere in Between", "Say It Twice", "Keep the Lights On", "Over and Over",
    "Home Again", "One More Night", "Take It Slow", "Before the Rain", "Dancing Alone",
]
KOREAN_TITLES = ["별빛 아래", "너의 계절", "첫눈", "여름밤", "그대에게", "하루 끝", "봄날의 기억",
                 "달빛 산책", "우리의 노래", "파란 꿈"]
JAPANESE_TITLES = ["夏の終わり", "さよならシティ", "夜明けのスケッチ", "君と僕の話", "流星群",
                   "真夜中のドライブ", "春風", "雨上がり", "ひとりごと", "約束"]
SPANISH_TITLES = ["Corazón de Neón", "Bailando Sola", "Noche Eterna", "Mi Ciudad", "Fuego Lento",
                  "La Última Vez", "Sin Ti", "Brillo"]
FRENCH_TITLES = ["Les Étoiles", "Café d'Hiver", "Mélancolie", "Été Indien", "Rêverie",
                 "Là-bas", "Nuit Blanche", "À Demain"]
CLASSICAL_FORMS = ["Nocturne", "Étude", "Prelude", "Sonata", "Fugue", "Romance", "Elegy",
                   "Impromptu", "Berceuse", "Variations"]
CLASSICAL_KEYS = ["in C Major", "in E Minor", "in A-flat Major", "in D Minor", "in F-sharp Minor",
                  "in G Major", "in B-flat Major"]
SOUNDTRACK_WORDS = ["Main Theme", "The Journey Begins", "Lost Kingdom", "Final Battle",
                    "Memories", "Epilogue", "Awakening", "Across the Sea", "Farewell", "Prologue"]
TRACK_SUFFIXES = [" - Acoustic", " - Remastered 2011", " (Live)", " - Radio Edit",
                  " - Extended Mix", " (Interlude)", " - Stripped", " (Demo)"]

# Record labels. Parents are the "majors" that distribute the others.
PARENT_LABELS = [
    ("Meridian", "Records"), ("Atlasphere", "Music Group"), ("Northwind", "Recordings"),
    ("Halcyon", "Records"), ("Bluebell", "Music"), ("Crownpoint", "Records"),
    ("Sunward", "Entertainment"), ("Ironbridge", "Records"),
]
INDIE_LABELS = [
    ("Kestrel", "Sound"), ("Paper Lantern", "Records"), ("Blue Hour", ""), ("Moonglade", "Records"),
    ("Tidewater", "Music"), ("Foxglove", "Recordings"), ("Copperline", "Records"),
    ("Nightjar", ""), ("Saltmarsh", "Records"), ("Brightwater", "Music"), ("Greenroom", "Records"),
    ("Hollowtree", ""), ("Lantern Fish", "Records"), ("Marigold", "Music"), ("Owl & Anchor", "Records"),
    ("Quarry", "Records"), ("Redwing", "Recordings"), ("Silverfin", "Records"), ("Stonefruit", ""),
    ("Thistle", "Music"), ("Umbra", "Records"), ("Wildflower", "Recordings"), ("Yellow Door", "Records"),
    ("Zinc", "Records"), ("Ember Coast", "Music"), ("Driftwood", "Records"), ("Cinder", "Sound"),
    ("Juniper Hill", "Records"), ("Gull Rock", "Records"), ("Palisade", "Music"),
    ("Velvet Tongue", "Records"), ("Low Tide", ""), ("Pinecrest", "Records"), ("Sparrowhawk", ""),
    ("Heliotrope", "Records"), ("Rook & Raven", "Music"), ("Outpost", "Records"), ("Aster", "Records"),
    ("Monsoon", "Music"), ("Catalpa", "Records"), ("Glasshouse", "Records"), ("Fernwood", "Music"),
    ("Lodestar", "Records"), ("Bramble", ""), ("Seafoam", "Records"), ("Old Mill", "Recordings"),
]
KOREAN_AGENCIES = [("STARLIGHT", "Entertainment"), ("HANBIT", "Entertainment"),
                   ("Blue Moon", "Entertainment"), ("Cloud Nine", "Entertainment"),
                   ("THE GLASS", "LABEL")]
JAPANESE_LABELS = [("Hoshizora", "Records"), ("Sakura Wave", "Music"), ("Tokyo Lantern", "Records")]
SUB_LABELS = ["Nightshift", "Frontier", "Blueprint", "Slow Burn", "Heritage", "Afterglow"]

PLAYLISTS: list[tuple[str, str]] = [
    ("Late Night Drive", "Neon-lit, moody and mid-tempo."),
    ("Gym Hype", "High energy, fast tempo."),
    ("Focus Flow", "Instrumental tracks for deep work."),
    ("Sunday Morning Coffee", "Acoustic and warm."),
    ("K-Wave", "Korean pop and R&B."),
    ("Tokyo Nights", "J-pop, city pop and anime."),
    ("Dancefloor Fillers", "The most danceable tracks in the library."),
    ("Rainy Day", "Sad, slow and acoustic."),
    ("Sing-Along Classics", "Happy, vocal, well-loved."),
    ("Road Trip", "Upbeat songs for the long way round."),
    ("Throwbacks", "Released before 2005."),
    ("Fresh Finds", "Released since 2024."),
    ("Chill Electronic", "Electronic, but relaxed."),
    ("Cinematic", "Scores, soundtracks and piano."),
    ("Hip-Hop Essentials", "Rap heavy rotation."),
    ("Latin Heat", "Reggaeton and Latin pop."),
    ("Discover Mix", "A bit of everything."),
]
