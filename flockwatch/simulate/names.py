"""Vocabularies for people: first names, surnames, cities, bios and client names.

Everything here is invented or generic. Celebrity names are made up so that no simulated
account stands for a real person.
"""

from __future__ import annotations

# fmt: off

LANGUAGES = ("en", "es", "hi", "th", "pt", "fr")
"""Account languages, in the order used by ``LANGUAGE_SHARES``."""

LANGUAGE_SHARES = (0.52, 0.16, 0.12, 0.08, 0.07, 0.05)

TIMEZONES: dict[str, tuple[float, ...]] = {
    "en": (-8.0, -7.0, -6.0, -5.0, -5.0, -4.0, 0.0, 0.0, 1.0, 5.5, 8.0, 10.0),
    "es": (-6.0, -5.0, -5.0, -4.0, -3.0, 1.0, 1.0),
    "hi": (5.5,),
    "th": (7.0,),
    "pt": (-3.0, -3.0, 0.0),
    "fr": (1.0, 1.0, 0.0, -5.0),
}
"""UTC offsets in hours that people writing each language tend to live in."""

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
        "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
        "Thomas", "Sarah", "Chris", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony",
        "Betty", "Mark", "Sandra", "Paul", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
        "Josh", "Donna", "Kevin", "Michelle", "Brian", "Carol", "George", "Amanda", "Ed",
        "Melissa", "Ryan", "Deborah", "Jacob", "Stephanie", "Gary", "Rebecca", "Nick", "Laura",
        "Eric", "Helen", "Jon", "Sharon", "Stephen", "Cynthia", "Larry", "Kathleen", "Justin",
        "Amy", "Scott", "Angela", "Brandon", "Shirley", "Ben", "Anna", "Sam", "Brenda", "Greg",
        "Pamela", "Alex", "Emma", "Frank", "Nicole", "Ray", "Samantha", "Pat", "Katie", "Jack",
        "Chloe", "Dennis", "Olivia", "Jerry", "Grace", "Tyler", "Zoe", "Aaron", "Hannah",
        "Liam", "Noah", "Mia", "Ava", "Ethan", "Isla", "Oscar", "Ruby", "Harry", "Priya",
        "Wei", "Kwame", "Aisha", "Tunde", "Fatima", "Omar", "Yuki", "Kenji", "Leila",
    ),
    "es": (
        "Alejandro", "Sofía", "Mateo", "Valentina", "Santiago", "Isabella", "Sebastián",
        "Camila", "Diego", "Valeria", "Nicolás", "Mariana", "Samuel", "Gabriela", "Daniel",
        "Lucía", "Javier", "Martina", "Carlos", "Daniela", "Andrés", "Sara", "Luis", "Paula",
        "Miguel", "Ana", "Jorge", "Carmen", "Fernando", "Elena", "Pablo", "Laura", "Raúl",
        "Natalia", "Ricardo", "Andrea", "Héctor", "Julia", "Emilio", "Rocío", "Tomás",
        "Ximena", "Iván", "Lorena", "Óscar", "Pilar", "Rodrigo", "Ángela", "Marcos", "Inés",
    ),
    "hi": (
        "Aarav", "Vivaan", "Aditya", "Vihaan", "Arjun", "Sai", "Reyansh", "Ayaan", "Krishna",
        "Ishaan", "Rohan", "Rahul", "Amit", "Vikram", "Suresh", "Rajesh", "Anil", "Sanjay",
        "Deepak", "Manoj", "Ananya", "Diya", "Saanvi", "Aadhya", "Pari", "Anika", "Navya",
        "Kavya", "Priya", "Neha", "Pooja", "Sunita", "Anjali", "Shreya", "Divya", "Meera",
        "Ritu", "Nisha", "Kiran", "Swati",
    ),
    "th": (
        "Somchai", "Somsak", "Surachai", "Prasert", "Wichai", "Anan", "Niran", "Kittisak",
        "Thanakorn", "Chaiwat", "Pichai", "Sompong", "Nattapong", "Kanya", "Malee", "Siriporn",
        "Nattaya", "Pimchanok", "Suda", "Ratana", "Wanida", "Araya", "Chanida", "Ploypailin",
        "Jintana", "Ploy", "Fah", "Nok", "Benz", "Mint",
    ),
    "pt": (
        "João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Juliana", "Rafael",
        "Larissa", "Mateus", "Fernanda", "Gustavo", "Camila", "Felipe", "Letícia", "Bruno",
        "Amanda", "Thiago", "Bruna", "Diego", "Mariana", "Rodrigo", "Carolina", "Vinícius",
    ),
    "fr": (
        "Louis", "Camille", "Gabriel", "Léa", "Jules", "Manon", "Hugo", "Chloé", "Arthur",
        "Inès", "Lucas", "Sarah", "Adam", "Jade", "Nathan", "Louise", "Théo", "Emma", "Paul",
        "Zoé", "Antoine", "Juliette", "Maxime", "Clara", "Julien", "Margaux",
    ),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
        "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
        "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts",
        "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart",
        "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey",
        "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks",
        "Bennett", "Gray", "James", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross",
        "Foster", "Okafor", "Mensah", "Nakamura", "Chen", "Patel", "Khan", "Nguyen", "Kim",
        "O'Brien", "McCarthy", "Fitzgerald", "Doyle", "Lynch", "Quinn",
    ),
    "es": (
        "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
        "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales",
        "Cruz", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Álvarez", "Mendoza",
        "Vázquez", "Castillo", "Jiménez", "Moreno", "Romero", "Herrera", "Medina", "Aguilar",
        "Vargas", "Castro", "Guerrero", "Ortega", "Delgado", "Navarro", "Molina", "Suárez",
    ),
    "hi": (
        "Sharma", "Verma", "Gupta", "Singh", "Kumar", "Patel", "Mehta", "Joshi", "Agarwal",
        "Yadav", "Mishra", "Pandey", "Reddy", "Nair", "Iyer", "Menon", "Chopra", "Malhotra",
        "Kapoor", "Bhatia", "Saxena", "Srivastava", "Tiwari", "Dubey", "Chauhan", "Rao",
        "Desai", "Kulkarni", "Jain", "Bose",
    ),
    "th": (
        "Saetang", "Srisuk", "Wongsa", "Chaiyaphum", "Boonmee", "Kaewkla", "Rattanakorn",
        "Sukjai", "Phongphan", "Thongdee", "Somboon", "Chanthra", "Intarasuk", "Meesuk",
        "Kongkaew", "Srisawat", "Panyadee", "Jaidee", "Rungruang", "Suwannarat",
    ),
    "pt": (
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
        "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
        "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Moreira",
    ),
    "fr": (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier",
    ),
}

NATIVE_NAMES: dict[str, tuple[str, ...]] = {
    "hi": (
        "राहुल शर्मा", "प्रिया वर्मा", "अमित गुप्ता", "सुनीता सिंह", "विकास कुमार", "नेहा जोशी",
        "संजय यादव", "पूजा मिश्रा", "अनिल पांडे", "दिव्या तिवारी", "राजेश चौहान", "अंजलि सक्सेना",
        "मनोज श्रीवास्तव", "कविता दुबे", "दीपक अग्रवाल", "श्रेया मेहता", "आदित्य राव", "मीरा देसाई",
        "रवि", "सीमा", "गौरव", "ज्योति",
    ),
    "th": (
        "สมชาย ใจดี", "สมศักดิ์ แสงทอง", "มาลี ศรีสุข", "นภา วงศ์ษา", "วิชัย บุญมี", "กัญญา แก้วกล้า",
        "ประเสริฐ รัตนากร", "ศิริพร สุขใจ", "ณัฐพงศ์ ทองดี", "พิมพ์ชนก สมบูรณ์", "อารยา จันทรา",
        "จินตนา มีสุข", "ปลาทอง", "น้องฟ้า", "แมวส้ม", "ต้นข้าว",
    ),
}
"""Display names in Devanagari and Thai script for some Hindi and Thai speakers."""

NICKNAME_WORDS = (
    "coffee", "pixel", "sunny", "moon", "river", "tiger", "ninja", "lazy", "happy", "urban",
    "chef", "runner", "gamer", "bookworm", "wander", "jazz", "cosmic", "retro", "salty",
    "quiet", "wild", "little", "crazy", "golden", "midnight", "cloudy", "spicy", "dreamy",
    "vinyl", "cactus", "panda", "mango", "chai", "taco", "noodle", "maple", "ocean", "forest",
)

CELEBRITY_NAMES = (
    "Ishana Varmoli", "Lucas Ferrandel", "Mira Kestrova", "Aditya Ranvale", "Selene Marquetti",
    "Dario Velasquin", "Nayana Suryavel", "Tomas Elbridge", "Kiara Devanshi", "Rafael Montoir",
    "Raveena Talmoria", "Jace Wildermont",
)
"""Invented star names (deliberately unlike any real person's)."""

CELEBRITY_JOBS = (
    "Actor", "Singer", "Film star", "Songwriter", "Playback singer", "Footballer",
    "Comedian", "TV host", "Director", "Rapper",
)

CELEBRITY_WORKS = (
    "Kaalchakra", "NeonMonsoon", "StarlightRoad", "Dhadkan2", "LaUltimaOla", "MidnightSari",
    "GoldenHour", "Toofan", "ElectricDreams", "Rangmanch",
)

CITIES: dict[str, tuple[str, ...]] = {
    "en": (
        "London", "New York, NY", "Los Angeles, CA", "Chicago, IL", "Houston, TX", "Manchester",
        "Toronto, Ontario", "Sydney, Australia", "Dublin, Ireland", "Lagos, Nigeria",
        "Nairobi, Kenya", "Seattle, WA", "Boston, MA", "Atlanta, GA", "Glasgow, Scotland",
        "Melbourne", "Vancouver, BC", "Austin, TX", "Denver, CO", "Bristol, England", "USA",
        "Earth", "somewhere", "UK", "Singapore", "Cape Town",
    ),
    "es": (
        "Madrid, España", "Barcelona", "Ciudad de México", "Buenos Aires, Argentina",
        "Bogotá, Colombia", "Lima, Perú", "Santiago, Chile", "Sevilla", "Valencia", "Caracas",
        "Guadalajara, Jalisco", "Monterrey", "Quito", "Medellín", "Montevideo",
    ),
    "hi": (
        "Mumbai, India", "New Delhi, India", "Bengaluru", "Pune, Maharashtra", "Lucknow",
        "Jaipur, Rajasthan", "Kolkata", "Hyderabad", "Chennai", "Ahmedabad", "Patna, Bihar",
        "भारत", "दिल्ली", "India",
    ),
    "th": (
        "Bangkok, Thailand", "กรุงเทพมหานคร", "Chiang Mai", "เชียงใหม่", "Phuket", "Khon Kaen",
        "ประเทศไทย", "Thailand",
    ),
    "pt": (
        "São Paulo, Brasil", "Rio de Janeiro", "Lisboa, Portugal", "Belo Horizonte", "Porto",
        "Curitiba", "Salvador, BA", "Recife", "Brasil",
    ),
    "fr": (
        "Paris, France", "Lyon", "Marseille", "Montréal, Québec", "Bruxelles", "Toulouse",
        "Bordeaux", "Lille", "Nantes", "Genève",
    ),
}

BIO_ROLES: dict[str, tuple[str, ...]] = {
    "en": (
        "teacher", "nurse", "software engineer", "student", "dad of two", "mum of three",
        "graphic designer", "photographer", "writer", "data nerd", "coffee addict",
        "football fan", "runner", "home cook", "history buff", "gardener", "musician",
        "retired", "accountant", "law student", "PhD candidate", "small business owner",
        "foodie", "traveller", "bookworm", "gamer", "cat person", "dog lover", "marketer",
        "engineer", "doctor", "barista", "architect", "UX researcher", "podcast host",
    ),
    "es": (
        "profesora", "ingeniero", "estudiante", "periodista", "madre de dos", "futbolero",
        "cocinero aficionado", "fotógrafa", "abogado", "médica", "músico", "viajera",
        "amante del café", "lector empedernido", "diseñadora gráfica",
    ),
    "hi": (
        "शिक्षक", "इंजीनियर", "छात्र", "डॉक्टर", "क्रिकेट प्रेमी", "software engineer", "student",
        "proud Indian", "foodie", "traveller", "writer", "IITian", "banker", "entrepreneur",
    ),
    "th": (
        "นักเรียน", "ครู", "โปรแกรมเมอร์", "ช่างภาพ", "แม่ค้าออนไลน์", "คนรักแมว", "นักศึกษา",
        "พยาบาล", "student", "designer", "foodie",
    ),
    "pt": (
        "professora", "engenheiro", "estudante", "jornalista", "mãe de dois", "flamenguista",
        "fotógrafa", "advogado", "médica", "músico", "viajante", "amante de café",
    ),
    "fr": (
        "professeur", "ingénieure", "étudiant", "journaliste", "papa de deux", "photographe",
        "avocate", "médecin", "musicien", "voyageuse", "amateur de café", "lecteur",
    ),
}

BIO_INTERESTS = (
    "coffee", "books", "music", "football", "cricket", "hiking", "tech", "politics", "film",
    "cooking", "travel", "science", "art", "gaming", "fitness", "yoga", "jazz", "climate",
    "history", "photography", "anime", "K-pop", "F1", "NBA", "startups", "poetry", "cats",
    "gardening", "design", "open source",
)

BIO_EMOJI = ("☕", "📚", "🎧", "⚽", "🏏", "🌱", "✈️", "📷", "🎮", "🐈", "🐶", "🌍", "✨", "💙", "🏳️‍🌈")

BIO_TAGLINES = (
    "Views my own.", "RTs are not endorsements.", "Opinions are mine.", "Living my best life.",
    "Be kind.", "One day at a time.", "Work hard, stay humble.", "Trying my best.",
    "Here for the memes.", "Mostly harmless.", "Powered by caffeine.", "Still learning.",
)

GENERIC_BIOS = (
    "Love life ❤", "Just me", "Music lover", "Hello world", "Living", "Smile :)", "Follow back",
    "Dreamer", "Happy", "God is good", "Blessed", "Nature lover", "🙂", "❤️❤️",
)
"""Bios that fake-follower pool accounts reuse."""

INFLUENCER_BIOS = (
    "Lifestyle & travel creator ✈️ | Collabs 📩 DM",
    "Influencer | Brand partnerships: dm me",
    "Fitness • Fashion • Food | Content creator",
    "Entrepreneur | Speaker | Coach 🚀 Link below",
    "Digital creator 📸 Business inquiries in bio link",
    "Crypto & finance tips 💰 Not financial advice",
    "Beauty | Skincare | Collabs open 💄",
)

CRITIC_BIOS = (
    "Investigative journalist. Tips via DM.", "Researcher on disinformation and online harms.",
    "Human rights lawyer. Speaking truth to power.", "Reporter covering politics and media.",
    "Activist. Accountability matters.", "Fact-checker. Sources or it didn't happen.",
    "Columnist. Critical of power, whoever holds it.", "Open-source investigator 🔎",
)

REPORTER_BIOS = (
    "Proud patriot 🇺🇳 Defending our nation online", "Truth warrior. Unity first.",
    "Nation first, always.", "Volunteer | Digital guardian", "Clean timeline, clean nation.",
    "Family. Faith. Nation.", "Standing with our leaders.",
)

SPAM_BIOS = (
    "🔥 Best deals every day 🔥 Follow for discounts", "Daily promo codes 💸 Click the link!",
    "Top offers ✔ Free shipping ✔ Limited time", "Deals deals deals | Save up to 80%",
)

AMPLIFIER_SLOGANS = (
    "Unity is strength.", "For a stronger nation.", "Proud citizen.", "Truth will win.",
    "Supporting progress.", "Together forward.",
)

ORGANIC_CLIENTS = (
    ("Twitter for iPhone", 0.40),
    ("Twitter for Android", 0.37),
    ("Twitter Web App", 0.14),
    ("Twitter for iPad", 0.03),
    ("TweetDeck", 0.02),
    ("Instagram", 0.01),
    ("Buffer", 0.01),
    ("Hootsuite Inc.", 0.01),
    ("IFTTT", 0.005),
    ("Facebook", 0.005),
)
"""Client names with the share of organic accounts that mainly use each."""

AUTOMATION_CLIENT = "AutoPoster Pro"
SPAM_CLIENT = "DealBlast Scheduler"
CELEBRITY_CLIENT = "Twitter Media Studio"
DEFAULT_IMAGE_URL = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"

ORGANIC_GROUP_NAMES = (
    "Runners Club", "Home Bakers Network", "Book Swap", "Photography Walks",
    "Cricket Lovers", "Startup Founders Circle", "Plant Parents", "Retro Gaming",
    "Parents Support Group", "Jazz Appreciation Society", "Street Food Hunters",
    "Climate Action Volunteers", "Chess Night", "Film Buffs", "Cycling Crew",
    "Language Exchange", "Open Source Meetup", "Vegan Recipes", "Astronomy Club",
    "Hiking Trails",
)

BRIGADE_GROUP_NAMES = ("Digital Guardians Volunteers", "Clean Timeline Task Force")
# fmt: on
