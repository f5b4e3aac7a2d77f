package sandbox

// Built-in word lists for seeded people; no network, no external data.
var firstNames = []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "Lucas",
	"Mia", "Mateo", "Amelia", "Levi", "Harper", "Hiroshi", "Yuki", "Aiko", "Kenji", "Sakura", "Lena", "Jonas",
	"Marie", "Felix", "Clara", "Louis", "Chloé", "Hugo", "Inès", "Léa", "Priya", "Arjun", "Ananya", "Rohan",
	"Fatima", "Omar", "Layla", "Yusuf", "Zara", "Ethan", "Grace", "Henry", "Alice", "Jack", "Freya", "Oscar",
	"Isla", "George", "Ruby", "Arthur", "Sofia", "Diego", "Valentina", "Santiago", "Camila", "Mei", "Wei",
	"Chen", "Lin", "Anna", "Erik", "Ingrid", "Lars", "Astrid", "Nils", "Maya", "Samuel", "Nora", "Daniel"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
	"Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
	"Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Müller", "Schmidt", "Schneider",
	"Fischer", "Weber", "Meyer", "Dubois", "Laurent", "Bernard", "Moreau", "Lefebvre", "Patel", "Sharma", "Singh",
	"Kumar", "Khan", "Ali", "Hassan", "Evans", "Walker", "Wright", "Hughes", "Clarke", "Rossi", "Russo", "Ferrari",
	"Esposito", "Bianchi", "Wang", "Zhang", "Liu", "Andersson", "Johansson", "Nilsson", "Larsen", "Hansen", "Novak"}

var emailDomains = []string{"example.com", "example.org", "example.net", "mail.example", "acme.test", "globex.test",
	"initech.test", "umbrella.test", "hooli.test", "piedpiper.test", "stark.test", "wayne.test"}

var productCatalog = []struct{ name, desc string }{
	{"Starter", "For individuals getting started"},
	{"Growth", "For growing teams"},
	{"Business", "Advanced features for businesses"},
	{"Scale", "High-volume usage and priority support"},
	{"Enterprise", "Custom limits, SSO and a dedicated manager"},
}

// Monthly list prices in USD cents per product tier.
var tierUSDCents = []int64{900, 2900, 7900, 19900, 49900}

var evidenceSamples = []string{
	"Customer logged in and used the service after the charge date; access logs attached.",
	"The subscription terms were accepted at checkout; cancellation policy disclosed on the pricing page.",
	"Customer was emailed a receipt and a renewal reminder 7 days before the charge.",
	"No cancellation request was received before the renewal date.",
}
