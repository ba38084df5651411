"""Vocabularies for posts: sentence templates, topics, hashtags and link domains.

Templates use ``str.format`` slots filled from ``SLOTS``. Campaign, spam and report texts are
kept apart from organic ones so each planted phenomenon has its own recognisable wording.
"""

from __future__ import annotations

# fmt: off
SLOTS: dict[str, tuple[str, ...]] = {
    "thing": (
        "the new update", "this weather", "the match", "my commute", "the budget", "that film",
        "the election debate", "the new album", "this traffic", "the trailer", "the finale",
        "the new phone", "the train strike", "the heatwave", "the book club pick", "the podcast",
        "the council meeting", "the price of eggs", "the interest rates", "the playoffs",
    ),
    "food": (
        "pasta", "biryani", "tacos", "ramen", "pad thai", "pho", "dosa", "sourdough", "curry",
        "pizza", "dumplings", "brunch", "mango lassi", "cold brew", "banana bread",
    ),
    "place": (
        "the park", "the office", "the beach", "the library", "the gym", "the market",
        "the station", "the airport", "the stadium", "my balcony", "the old town",
    ),
    "feeling": (
        "so tired", "weirdly happy", "annoyed", "grateful", "stressed", "hyped", "nostalgic",
        "confused", "proud", "done", "excited", "heartbroken",
    ),
    "time": (
        "today", "this morning", "tonight", "this week", "all day", "since Monday", "again",
        "this weekend", "right now", "for the third time",
    ),
    "team": (
        "United", "the Lakers", "India", "Barça", "the Warriors", "City", "Flamengo", "PSG",
        "the Yankees", "Arsenal", "Mumbai Indians", "the Eagles",
    ),
}

EN_TEMPLATES = (
    "Can't believe {thing} {time}. Honestly {feeling}.",
    "Made {food} {time} and it was actually good",
    "Anyone else {feeling} about {thing}?",
    "Hot take: {thing} is overrated",
    "Spent {time} at {place}. 10/10 would recommend",
    "Thread on {thing} 🧵 (1/3)",
    "{team} really did that {time} 😭",
    "Why is {thing} trending {time}?",
    "Reminder to drink water and ignore {thing}",
    "Finally finished {thing}. {feeling} tbh",
    "Ok but who else is watching {team} {time}",
    "New blog post about {thing}, feedback welcome",
    "Just saw the best sunset at {place}",
    "{food} for dinner {time}, no regrets",
    "If you're near {place} {time}, come say hi!",
    "Not me refreshing for news about {thing} every 5 minutes",
    "Low-key {feeling} that {team} lost {time}",
    "Does anyone have a good recipe for {food}?",
    "Running late {time} because of {thing}. Classic.",
    "My take on {thing}: it's complicated.",
    "Shoutout to everyone at {place} {time}, you're the best",
    "Great discussion about {thing} {time}. Learned a lot.",
    "Honestly {thing} made my day",
    "Who decided {thing} was a good idea??",
    "Week in review: {thing}, {food}, and too much coffee",
    "PSA: {place} is packed {time}",
    "Feeling {feeling}. Going to make {food} and forget about {thing}.",
    "Quick poll: is {food} a breakfast food?",
    "That moment when {thing} actually works first try",
    "Still thinking about {thing} from {time}",
)

ES_TEMPLATES = (
    "No puedo creer lo de {thing} {time}",
    "Hoy toca {food} y nada más importa",
    "¿Alguien más está viendo el partido de {team}?",
    "Qué día tan largo, estoy {feeling}",
    "Buenos días a todos menos a {thing}",
    "Paseando por {place}, qué bonito está",
    "Opinión impopular: {thing} está sobrevalorado",
    "Gracias a todos por los mensajes de hoy ❤️",
    "Vamos {team}!!! Hoy se gana",
    "Receta de {food} en el hilo 👇",
    "El tráfico de hoy es una locura",
    "Leyendo sobre {thing}, les dejo el enlace",
)

HI_TEMPLATES = (
    "आज का दिन बहुत अच्छा रहा 🙏", "सुप्रभात दोस्तों! आपका दिन शुभ हो",
    "क्या मैच था! {team} ने कमाल कर दिया", "आज {food} बनाया, बहुत स्वादिष्ट बना",
    "यह खबर सच में चिंताजनक है", "मेरी राय में {thing} पर और चर्चा होनी चाहिए",
    "बारिश का मौसम और चाय ☕", "सब लोग वोट जरूर करें", "जय हिंद 🇮🇳",
    "Traffic in the city is crazy {time} yaar", "Kal ka match dekha? {team} was amazing",
    "Office se ghar, ghar se office. {feeling}",
)

TH_TEMPLATES = (
    "วันนี้อากาศร้อนมาก", "ใครดูบอลเมื่อคืนบ้าง {team} เล่นดีมาก", "กินข้าวหรือยังทุกคน",
    "รถติดมากวันนี้ เหนื่อยสุดๆ", "สวัสดีตอนเช้าค่ะ", "ขอบคุณทุกกำลังใจนะคะ",
    "ข่าววันนี้น่าเป็นห่วงมาก", "ไปเที่ยวเชียงใหม่มา สวยมากก", "ทำ {food} กินเอง อร่อยมาก",
    "เบื่อการเมืองมาก 555", "วันหยุดนี้ไปไหนดี", "ฝนตกอีกแล้ว",
)

PT_TEMPLATES = (
    "Bom dia pra quem é de bom dia", "Que jogo do {team} hoje!", "Alguém mais {feeling} hoje?",
    "Fiz {food} e ficou ótimo", "O trânsito em SP hoje tá impossível",
    "Opinião: {thing} não faz sentido", "Saudades de {place}", "Sextou! Bora descansar",
    "Lendo sobre {thing}, link abaixo",
)

FR_TEMPLATES = (
    "Bonne journée à tous ☀️", "Quel match de {team} ce soir !", "Encore des grèves {time}...",
    "J'ai fait des {food} maison, trop bon", "Franchement {thing}, c'est n'importe quoi",
    "Promenade à {place}, magnifique", "Qui regarde le débat ce soir ?",
    "Nouvel article sur {thing}, vos avis ?",
)

TEMPLATES_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": EN_TEMPLATES, "es": ES_TEMPLATES, "hi": HI_TEMPLATES,
    "th": TH_TEMPLATES, "pt": PT_TEMPLATES, "fr": FR_TEMPLATES,
}

REPLY_TEMPLATES = (
    "Totally agree", "This is so true 😂", "Not sure about that tbh", "Source?",
    "Love this!", "Same here", "Haha exactly", "Couldn't have said it better",
    "Wait what?", "I disagree, but respect", "Congrats!!", "This made my day",
    "So sorry to hear that", "Thanks for sharing", "👏👏👏", "lol", "Big if true",
    "Where is this?", "Need more context", "Underrated post",
)

QUOTE_TEMPLATES = (
    "This 👇", "Worth a read", "Important thread", "Exactly what I was saying", "lmao",
    "Hard disagree", "Finally someone said it", "Must watch", "Interesting take",
    "Everyone should see this", "🔥🔥", "This is wild",
)

TOPIC_HASHTAGS = (
    "MondayMotivation", "ThrowbackThursday", "FridayFeeling", "WeekendVibes", "Football",
    "Cricket", "IPL2026", "NBA", "F1", "ClimateAction", "Science", "Tech", "AI", "Python",
    "OpenSource", "Startups", "Books", "AmReading", "Music", "NowPlaying", "NewMusicFriday",
    "Movies", "Netflix", "Foodie", "Recipe", "Travel", "Photography", "Nature", "Fitness",
    "Running", "Yoga", "MentalHealth", "Health", "Education", "Teachers", "Elections",
    "Budget2026", "Economy", "Jobs", "RemoteWork", "Gaming", "Anime", "Kpop", "Art",
    "Design", "Fashion", "Coffee", "Cats", "Dogs", "Gardening", "History", "Space",
    "Astronomy", "Weather", "Traffic", "Monsoon", "Heatwave", "LocalNews", "SmallBusiness",
    "Crypto", "Bitcoin", "UX", "DataScience", "100DaysOfCode", "WomenInTech", "Poetry",
    "WritingCommunity", "IndieDev", "Podcast", "LaLiga", "PremierLeague", "Brasileirao",
    "ChampionsLeague", "Olympics", "Tennis", "Marathon", "Vegan", "StreetFood",
    "मौसम", "क्रिकेट", "ข่าว", "ฟุตบอล", "Fútbol", "Noticias", "Futebol", "Cinéma",
)

LINK_DOMAINS = (
    "www.bbc.co.uk", "www.nytimes.com", "www.theguardian.com", "www.reuters.com",
    "apnews.com", "www.aljazeera.com", "elpais.com", "www.lemonde.fr", "g1.globo.com",
    "www.hindustantimes.com", "indianexpress.com", "www.bangkokpost.com", "www.thairath.co.th",
    "www.youtube.com", "youtu.be", "www.instagram.com", "medium.com", "substack.com",
    "github.com", "arxiv.org", "www.nature.com", "www.wikipedia.org", "open.spotify.com",
    "www.imdb.com", "www.espn.com", "www.goal.com", "www.cricbuzz.com", "www.reddit.com",
    "www.linkedin.com", "www.eventbrite.com", "www.amazon.com", "www.etsy.com",
    "www.bloomberg.com", "www.ft.com", "www.wired.com", "www.theverge.com", "techcrunch.com",
    "www.npr.org", "www.washingtonpost.com", "www.cnn.com", "www.abc.net.au", "www.dw.com",
    "www.france24.com", "www.clarin.com", "www.folha.uol.com.br", "www.ndtv.com",
    "www.thehindu.com", "www.khaosod.co.th", "www.allrecipes.com", "www.strava.com",
)

CELEBRITY_TEMPLATES = (
    "Day {n} of shooting #{work} 🎬 Thank you team!",
    "Thank you for all the love ❤️ You all mean the world to me",
    "#{work} trailer out now! Tell me what you think 👇",
    "Rehearsals today. Feeling {feeling} ✨",
    "Can't wait to see you all at the premiere of #{work}",
    "Happy to announce my new project! More soon 🙏",
    "Good morning everyone ☀️ Stay blessed",
    "Behind the scenes from #{work} 📸",
    "New song dropping Friday. Are you ready? 🎶 #{work}",
    "Grateful. Humbled. Thank you 🙏",
    "Live Q&A tonight at 8! Send your questions with #{work}",
    "Missing the stage already",
)

FAN_REPLY_TEMPLATES = (
    "Love you {name} ❤️❤️", "Queen 👑", "King 👑🔥", "Can't wait!!!", "Blockbuster loading 🔥",
    "Best {job} ever", "Sending love from {city}!", "Please reply once 🥺", "#{work} 🔥🔥🔥",
    "So proud of you", "My idol ❤️", "Goosebumps!!",
)

IMPERSONATOR_SCAM_TEMPLATES = (
    "🎁 GIVEAWAY! I'm giving back to my fans. DM me to claim your prize 🎁",
    "Thank you fans! Send me a DM for a special surprise ❤️",
    "My official fan club membership is open! Link 👉 {url}",
    "Win a video call with me! Register here {url}",
)

CRITIC_TEMPLATES = (
    "New investigation: who is really behind #{tag}? Thread 🧵",
    "The numbers behind #{tag} don't add up. Here is the evidence.",
    "Hundreds of accounts created this week all pushing #{tag}. Coordinated? Let's look.",
    "Journalists covering #{tag} are being harassed again. This has to stop.",
    "Public money, private interests: our report on the ministry's contracts {url}",
    "They want silence. We will keep asking questions. #AccountabilityNow",
    "Fact check: the viral claim about #{tag} is false. Sources below.",
    "My account keeps getting mass-reported after every story. Not going anywhere.",
)

CAMPAIGN_HASHTAGS = ("UnityForward", "StrongNation2026", "TruthAboutRivia", "StandWithProgress")

CAMPAIGN_TEMPLATES = (
    "Our nation is stronger than ever! {tags} {mentions}",
    "Don't believe the lies. The truth is clear. {tags} {mentions}",
    "Proud of our leaders and our progress {tags} {mentions}",
    "The opposition wants chaos. We want progress! {tags} {mentions}",
    "Fake news media will not divide us {tags} {mentions}",
    "Every citizen must know the facts {url} {tags} {mentions}",
)

CAMPAIGN_EXTRAS = ("", "", "!", "!!", " 💪", " 🇺🇳", " 👏", " 🔥", " ✅", " 💯", ".", " 🙌")

SPAM_PRODUCTS = (
    "sneakers", "smartwatches", "headphones", "sunglasses", "phone cases", "handbags",
    "perfume", "gaming mice", "fitness trackers", "LED lights",
)

SPAM_TEMPLATES = (
    "🔥 FLASH SALE {pct}% OFF {product}! Today only ➡ {url} #deals #sale",
    "💸 {product} at {pct}% discount! Limited stock ➡ {url} #deals #promo",
    "✅ Best price on {product} ({pct}% off) ➡ {url} #sale #discount",
    "⚡ Deal alert: {product} -{pct}% ➡ {url} #deals",
)

SPAM_DOMAINS = ("bestdeal-hub.shop", "promo-zone.top", "megasale24.xyz", "cheap-offers.click")

FAKE_FOLLOWER_TEXTS = (
    "Good morning", "Hello everyone", "Nice day", "❤️", "Happy weekend", "Follow me",
    "Beautiful", "Thanks", "Good night", "😊",
)

BRIGADE_REASONS = ("spam", "impersonation")

BRIGADE_COMMENTS = (
    "This account spreads fake news and spam. Please suspend immediately.",
    "This account is spreading fake news and spam. Please suspend it immediately.",
    "Fake account spreading propaganda. Please suspend immediately!",
    "This account spreads fake news and spam. Suspend now.",
    "Spam account spreading lies about our nation. Please take action.",
)

ORGANIC_REPORT_REASONS = (
    ("spam", 0.30), ("abuse", 0.14), ("harassment", 0.12), ("hate", 0.08),
    ("impersonation", 0.06), ("misinformation", 0.12), ("violence", 0.04), ("self_harm", 0.02),
    ("private_information", 0.03), ("other", 0.09),
)

ORGANIC_REPORT_COMMENTS = (
    "keeps sending me spam links", "this is a bot", "rude replies on every post",
    "pretending to be someone else", "posting false health claims", "threatening people",
    "harassing my friend", "shared my phone number", "scam giveaway", "racist slurs",
    "fake giveaway, stole money", "posting the same link 100 times", "not sure, looks fake",
)

ORGANIC_REPORT_CLIENTS = (("web", 0.45), ("android", 0.32), ("ios", 0.23))
# fmt: on
