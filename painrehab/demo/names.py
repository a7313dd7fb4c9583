"""Fixed lists the demo draws from: synthetic names, places and schools.

Every person the demo creates is fictional: given and family names are combined at
random, street names are invented, and phone numbers use the 555-0100 to 555-0199
range that is reserved for fiction. Cities are real Californian places so that the
addresses look ordinary; the ZIP codes and area codes are theirs.
"""

GIRL_NAMES_EN: tuple[str, ...] = (
    "Abigail", "Addison", "Amelia", "Aria", "Audrey", "Avery", "Brooke", "Chloe",
    "Claire", "Ella", "Emma", "Grace", "Hannah", "Harper", "Isla", "Jasmine",
    "Kaitlyn", "Leah", "Lily", "Madison", "Maya", "Mia", "Nora", "Olivia",
    "Paige", "Riley", "Ruby", "Sadie", "Scarlett", "Sophie", "Stella", "Zoe",
)  # fmt: skip
BOY_NAMES_EN: tuple[str, ...] = (
    "Aiden", "Caleb", "Cameron", "Dylan", "Elliot", "Ethan", "Gavin", "Henry",
    "Isaac", "Jack", "Jonah", "Julian", "Kai", "Leo", "Liam", "Logan",
    "Lucas", "Mason", "Micah", "Miles", "Noah", "Owen", "Ryan", "Theo",
)  # fmt: skip
GIRL_NAMES_ES: tuple[str, ...] = (
    "Adriana", "Alejandra", "Ana", "Camila", "Daniela", "Elena", "Gabriela",
    "Isabel", "Jimena", "Lucía", "Mariana", "Natalia", "Paola", "Renata",
    "Sofía", "Valentina", "Valeria", "Ximena", "Yesenia", "Zoe",
)  # fmt: skip
BOY_NAMES_ES: tuple[str, ...] = (
    "Alejandro", "Andrés", "Carlos", "Diego", "Emiliano", "Gael", "Javier",
    "Joaquín", "Mateo", "Miguel", "Santiago", "Sebastián", "Tomás", "Ángel",
)  # fmt: skip

FAMILY_NAMES: tuple[str, ...] = (
    "Abernathy", "Bishop", "Brennan", "Caldwell", "Chen", "Dang", "Donnelly",
    "Ellison", "Fairbanks", "Gill", "Hartley", "Hoang", "Holloway", "Iyer",
    "Kaur", "Kowalski", "Lindqvist", "Lockhart", "Marsh", "McAllister", "Mercer",
    "Nakamura", "Novak", "Okafor", "Park", "Pennington", "Quinlan", "Rasmussen",
    "Reyes-Hart", "Sandoval", "Sato", "Sorensen", "Tan", "Thornton", "Underwood",
    "Vance", "Whitaker", "Yamada", "Yilmaz", "Zimmerman",
)  # fmt: skip
FAMILY_NAMES_ES: tuple[str, ...] = (
    "Aguilar", "Alvarado", "Cabrera", "Castañeda", "Cervantes", "Delgado",
    "Espinoza", "Figueroa", "García", "Guerrero", "Ibarra", "Lozano", "Medina",
    "Montoya", "Navarro", "Ochoa", "Orozco", "Paredes", "Quintero", "Robles",
    "Salazar", "Solís", "Trejo", "Valdez", "Zamora",
)  # fmt: skip

WOMEN_NAMES_EN: tuple[str, ...] = (
    "Alison", "Amanda", "Angela", "Beth", "Carrie", "Danielle", "Erin", "Heather",
    "Jennifer", "Julie", "Karen", "Laura", "Megan", "Melissa", "Nicole", "Rachel",
    "Sarah", "Stephanie", "Tanya", "Wendy",
)  # fmt: skip
MEN_NAMES_EN: tuple[str, ...] = (
    "Adam", "Brian", "Chris", "Daniel", "Derek", "Eric", "Greg", "Jason",
    "Jeremy", "Kevin", "Mark", "Matthew", "Neil", "Patrick", "Rob", "Scott",
    "Steven", "Todd", "Trevor", "Victor",
)  # fmt: skip
WOMEN_NAMES_ES: tuple[str, ...] = (
    "Alicia", "Beatriz", "Carmen", "Claudia", "Guadalupe", "Leticia", "Lorena",
    "Marisol", "Patricia", "Rosa", "Silvia", "Verónica",
)  # fmt: skip
MEN_NAMES_ES: tuple[str, ...] = (
    "Alberto", "Armando", "Eduardo", "Fernando", "Héctor", "Jorge", "José",
    "Luis", "Manuel", "Ramón", "Raúl", "Rubén",
)  # fmt: skip

# The name a child goes by, when it differs from the given name.
NICKNAMES = {
    "Abigail": "Abby",
    "Alejandra": "Ale",
    "Alejandro": "Alex",
    "Elliot": "Eli",
    "Gabriela": "Gaby",
    "Kaitlyn": "Katie",
    "Madison": "Maddie",
    "Santiago": "Santi",
    "Sebastián": "Sebas",
    "Valentina": "Vale",
}

# Invented street names; a house number and a suffix are added at random.
STREET_NAMES: tuple[str, ...] = (
    "Alder Creek", "Amber Hill", "Bluebird", "Cedar Hollow", "Copper Canyon",
    "Driftwood", "Elderberry", "Fern Glen", "Foxtail", "Granite Ridge",
    "Harvest Moon", "Juniper Bluff", "Lark Meadow", "Manzanita Vista",
    "Mesa Verde", "Mission Bell", "Oak Shadow", "Poppy Field", "Quail Run",
    "Redwood Grove", "Sagebrush", "Sand Dollar", "Sierra Pass", "Sunflower",
    "Tule Marsh", "Valley Oak", "Willow Bend",
)  # fmt: skip
STREET_SUFFIXES: tuple[str, ...] = ("Ave", "Ct", "Dr", "Ln", "Pl", "Rd", "St", "Way")

# (city, ZIP code, telephone area code)
CITIES: tuple[tuple[str, str, str], ...] = (
    ("Bakersfield", "93309", "661"),
    ("Chico", "95926", "530"),
    ("Davis", "95616", "530"),
    ("Elk Grove", "95758", "916"),
    ("Fairfield", "94533", "707"),
    ("Folsom", "95630", "916"),
    ("Fremont", "94538", "510"),
    ("Fresno", "93722", "559"),
    ("Merced", "95340", "209"),
    ("Modesto", "95350", "209"),
    ("Oakland", "94610", "510"),
    ("Redding", "96001", "530"),
    ("Roseville", "95678", "916"),
    ("Sacramento", "95822", "916"),
    ("Salinas", "93901", "831"),
    ("San Jose", "95125", "408"),
    ("Santa Rosa", "95404", "707"),
    ("Stockton", "95207", "209"),
    ("Vacaville", "95687", "707"),
    ("Visalia", "93277", "559"),
)

# Invented school names by level; grades follow from the child's age.
ELEMENTARY_SCHOOLS: tuple[str, ...] = (
    "Bluebird Elementary School", "Cedar Hollow Elementary School",
    "Foxtail Elementary School", "Lark Meadow Elementary School",
    "Poppy Field Elementary School", "Quail Run Elementary School",
    "Sunflower Elementary School", "Willow Bend Elementary School",
)  # fmt: skip
MIDDLE_SCHOOLS: tuple[str, ...] = (
    "Amber Hill Middle School", "Copper Canyon Middle School",
    "Granite Ridge Middle School", "Juniper Bluff Middle School",
    "Oak Shadow Middle School", "Valley Oak Middle School",
)  # fmt: skip
HIGH_SCHOOLS: tuple[str, ...] = (
    "Driftwood High School", "Harvest Moon High School", "Mesa Verde High School",
    "Mission Bell High School", "Redwood Grove High School",
    "Sierra Pass High School", "Tule Marsh High School",
)  # fmt: skip
COLLEGES: tuple[str, ...] = (
    "Valley Oak Community College",
    "Sierra Pass Community College",
)

# Allergy entries as a clinician would type them (most children have none).
ALLERGIES: tuple[str, ...] = (
    "Penicillin (rash)",
    "Amoxicillin (hives)",
    "Sulfa drugs (rash)",
    "Peanuts (anaphylaxis; carries epinephrine auto-injector)",
    "Tree nuts (hives)",
    "Latex (contact dermatitis)",
    "Adhesive tape (skin irritation)",
    "Ibuprofen (stomach upset, tolerates acetaminophen)",
)
