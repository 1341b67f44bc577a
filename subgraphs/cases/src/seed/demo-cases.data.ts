import { CaseStatus, Gender, LocationType } from '../entities/case.enums';

/** One demo case: ages of events are given in hours before the seed runs, so the demo looks current. */
export interface DemoCase {
  childName: string;
  age: number;
  gender: Gender;
  description: string;
  /** A place the offline gazetteer knows. */
  lastSeenPlace: string;
  locationType: LocationType;
  lastSeenHoursAgo: number;
  contactPhone: string;
  /** Where the case ends up (from MISSING), with the note of that step. */
  outcome?: { status: CaseStatus.FOUND | CaseStatus.CLOSED; hoursAgo: number; note: string };
  sightings: Array<{ place: string; hoursAgo: number; description: string }>;
}

/** The demo cases of the embedded default: fictional children in real cities, several statuses. */
export const DEMO_CASES: readonly DemoCase[] = [
  {
    childName: 'Lucas Moreau',
    age: 9,
    gender: Gender.MALE,
    lastSeenPlace: "Parc de la Tête d'Or, Lyon, France",
    locationType: LocationType.PARK,
    lastSeenHoursAgo: 5,
    contactPhone: '+33 4 72 10 30 30',
    description:
      'Short brown hair, green hoodie with a dinosaur print, grey trousers, red trainers. Shy; may not answer to strangers.',
    sightings: [
      {
        place: 'Lyon Part-Dieu station, Lyon',
        hoursAgo: 3,
        description: 'Boy matching the description near the tram stop, alone.',
      },
    ],
  },
  {
    childName: 'Sofia Almeida',
    age: 6,
    gender: Gender.FEMALE,
    lastSeenPlace: 'Porto, Portugal',
    locationType: LocationType.SHOP,
    lastSeenHoursAgo: 26,
    contactPhone: '+351 22 339 9000',
    description: 'Long dark curly hair in two braids, yellow raincoat, blue rubber boots, carrying a stuffed rabbit.',
    sightings: [
      {
        place: 'Vila Nova de Gaia, Portugal',
        hoursAgo: 20,
        description: 'Girl in a yellow raincoat with an adult woman, heading towards the river.',
      },
      { place: 'Matosinhos, Portugal', hoursAgo: 8, description: 'Possibly the same girl at a bus stop.' },
    ],
  },
  {
    childName: 'Noah Fischer',
    age: 14,
    gender: Gender.MALE,
    lastSeenPlace: 'Munich, Germany',
    locationType: LocationType.SCHOOL,
    lastSeenHoursAgo: 50,
    contactPhone: '+49 89 2910 0',
    description: 'Tall and slim, blond hair, black school backpack, navy jacket. Has a phone but it is switched off.',
    outcome: { status: CaseStatus.FOUND, hoursAgo: 30, note: "Found safe at a friend's home in Augsburg." },
    sightings: [
      { place: 'Augsburg, Germany', hoursAgo: 36, description: 'Teenager matching the photo at the main station.' },
    ],
  },
  {
    childName: 'Amara Okafor',
    age: 11,
    gender: Gender.FEMALE,
    lastSeenPlace: 'Manchester, United Kingdom',
    locationType: LocationType.TRANSPORT,
    lastSeenHoursAgo: 9,
    contactPhone: '+44 161 872 5050',
    description: 'Black hair in a ponytail, purple puffer coat, school uniform (grey skirt, white shirt).',
    sightings: [],
  },
  {
    childName: 'Mateo García',
    age: 4,
    gender: Gender.MALE,
    lastSeenPlace: 'Valencia, Spain',
    locationType: LocationType.PARK,
    lastSeenHoursAgo: 80,
    contactPhone: '+34 963 15 60 00',
    description: 'Small for his age, light brown hair, striped blue-and-white T-shirt, shorts, no shoes.',
    outcome: { status: CaseStatus.FOUND, hoursAgo: 78, note: 'Found by park staff two streets away, unharmed.' },
    sightings: [],
  },
  {
    childName: 'Emma Jansen',
    age: 15,
    gender: Gender.FEMALE,
    lastSeenPlace: 'Rotterdam, Netherlands',
    locationType: LocationType.HOME,
    lastSeenHoursAgo: 120,
    contactPhone: '+31 10 274 0000',
    description: 'Dyed red hair, nose piercing, black denim jacket, white sneakers. May be travelling to Amsterdam.',
    sightings: [
      {
        place: 'Amsterdam, Netherlands',
        hoursAgo: 100,
        description: 'Seen at the central station with two older teenagers.',
      },
      {
        place: 'Utrecht, Netherlands',
        hoursAgo: 60,
        description: 'A girl with red hair asked for directions to the bus station.',
      },
    ],
  },
  {
    childName: "Liam O'Connor",
    age: 12,
    gender: Gender.MALE,
    lastSeenPlace: 'Dublin, Ireland',
    locationType: LocationType.STREET,
    lastSeenHoursAgo: 200,
    contactPhone: '+353 1 666 9500',
    description: 'Freckles, ginger hair, green football shirt, blue tracksuit bottoms, riding a black bicycle.',
    outcome: {
      status: CaseStatus.CLOSED,
      hoursAgo: 150,
      note: 'Duplicate of an earlier report; followed up in that case.',
    },
    sightings: [],
  },
  {
    childName: 'Chiara Rossi',
    age: 8,
    gender: Gender.FEMALE,
    lastSeenPlace: 'Milan, Italy',
    locationType: LocationType.SHOP,
    lastSeenHoursAgo: 2,
    contactPhone: '+39 02 7740 1',
    description: 'Straight black bob, pink glasses, white dress with red dots, small blue backpack.',
    sightings: [],
  },
  {
    childName: 'Jakub Nowak',
    age: 13,
    gender: Gender.MALE,
    lastSeenPlace: 'Kraków, Poland',
    locationType: LocationType.SCHOOL,
    lastSeenHoursAgo: 30,
    contactPhone: '+48 12 615 7000',
    description: 'Brown hair, glasses, grey hoodie, headphones around the neck. Likes skateparks.',
    sightings: [
      {
        place: 'Katowice, Poland',
        hoursAgo: 12,
        description: 'Boy with headphones at the skatepark, matching the photo.',
      },
    ],
  },
  {
    childName: 'Ana Lucía Torres',
    age: 10,
    gender: Gender.FEMALE,
    lastSeenPlace: 'Sevilla, Spain',
    locationType: LocationType.TRANSPORT,
    lastSeenHoursAgo: 14,
    contactPhone: '+34 954 28 93 00',
    description: 'Long black hair, orange T-shirt, denim shorts, sandals; carries a red water bottle.',
    sightings: [],
  },
  {
    childName: 'Elias Berg',
    age: 16,
    gender: Gender.MALE,
    lastSeenPlace: 'Göteborg, Sweden',
    locationType: LocationType.HOME,
    lastSeenHoursAgo: 300,
    contactPhone: '+46 31 739 20 00',
    description: 'Tall, dark blond hair, black parka, grey beanie. Left a note saying he needed time alone.',
    outcome: { status: CaseStatus.FOUND, hoursAgo: 240, note: 'Came home on his own; family confirmed.' },
    sightings: [
      { place: 'Oslo, Norway', hoursAgo: 270, description: 'Young man matching the description on a ferry.' },
    ],
  },
  {
    childName: 'Zoé Lambert',
    age: 7,
    gender: Gender.FEMALE,
    lastSeenPlace: 'Brussels, Belgium',
    locationType: LocationType.PARK,
    lastSeenHoursAgo: 40,
    contactPhone: '+32 2 279 79 79',
    description: 'Light brown curly hair, green coat with a hood, pink wellington boots.',
    sightings: [
      {
        place: 'Leuven, Belgium',
        hoursAgo: 20,
        description: 'Girl in a green coat holding hands with a man in a cap.',
      },
    ],
  },
];
