/** The demo's offices and words, and the seeded random generator that picks among them. */

export const DEMO_OFFICES = [
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0001',
    city: 'Helsinki',
    region: 'Uusimaa',
    regionCode: 'FI_UUSIMAA',
  },
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0002',
    city: 'Tampere',
    region: 'Pirkanmaa',
    regionCode: 'FI_PIRKANMAA',
  },
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0003',
    city: 'Turku',
    region: 'Varsinais-Suomi',
    regionCode: 'FI_VARSINAIS_SUOMI',
  },
  {
    id: '6f1c1d36-5d5e-4c1a-9a55-0b1f0e8c0004',
    city: 'Oulu',
    region: 'Pohjois-Pohjanmaa',
    regionCode: 'FI_POHJOIS_POHJANMAA',
  },
] as const;

export const STREETS: Record<string, { street: string; postcode: string; district: string }[]> = {
  Helsinki: [
    { street: 'Mannerheimintie', postcode: '00100', district: 'Kamppi' },
    { street: 'Fleminginkatu', postcode: '00530', district: 'Kallio' },
    { street: 'Runeberginkatu', postcode: '00260', district: 'Töölö' },
    { street: 'Itäväylä', postcode: '00930', district: 'Itäkeskus' },
    { street: 'Lauttasaarentie', postcode: '00200', district: 'Lauttasaari' },
  ],
  Tampere: [
    { street: 'Yliopistonkatu', postcode: '33100', district: 'Keskusta' },
    { street: 'Insinöörinkatu', postcode: '33720', district: 'Hervanta' },
    { street: 'Pyynikintie', postcode: '33230', district: 'Pyynikki' },
    { street: 'Kalevantie', postcode: '33100', district: 'Kaleva' },
  ],
  Turku: [
    { street: 'Aurakatu', postcode: '20100', district: 'Keskusta' },
    { street: 'Hämeenkatu', postcode: '20500', district: 'Itäharju' },
    { street: 'Uudenmaankatu', postcode: '20700', district: 'Nummi' },
  ],
  Oulu: [
    { street: 'Kirkkokatu', postcode: '90100', district: 'Keskusta' },
    { street: 'Kaijonharjuntie', postcode: '90570', district: 'Kaijonharju' },
    { street: 'Tuiran Rantakatu', postcode: '90500', district: 'Tuira' },
  ],
};

export const FIRST_NAMES = [
  'Matti',
  'Maria',
  'Juha',
  'Helena',
  'Mikko',
  'Anne',
  'Timo',
  'Päivi',
  'Jari',
  'Sari',
  'Antti',
  'Elina',
  'Ville',
  'Johanna',
  'Jukka',
  'Tiina',
  'Sami',
  'Kaisa',
  'Olli',
  'Aino',
];
export const LAST_NAMES = [
  'Virtanen',
  'Korhonen',
  'Mäkinen',
  'Nieminen',
  'Mäkelä',
  'Hämäläinen',
  'Laine',
  'Heikkinen',
  'Koskinen',
  'Järvinen',
  'Lehtonen',
  'Lehtinen',
  'Saarinen',
  'Salminen',
  'Heinonen',
  'Niemi',
  'Kinnunen',
  'Salonen',
  'Turunen',
  'Lindqvist',
];
export const ORGANIZATIONS = [
  'Asunto Oy Pyynikin Helmi',
  'Kiinteistö Oy Aurakulma',
  'Rakennus Koskinen Oy',
  'Oulun Kotitalot Oy',
  'Perhesäätiö Lindqvist',
];
export const NOTES = [
  'Asiakas haluaa myydä ennen kesää.',
  'Customer is comparing three agencies; follow up after the visit.',
  'Parveke remontoitu 2019, putkiremontti tulossa.',
  'Evaluation for an estate sale: heirs want a quick price estimate.',
  'Muuttamassa isompaan, tarvitsee myös ostotoimeksiannon.',
  'Second meeting: bring the marketing plan and comparable sales.',
  'Taloyhtiön tilinpäätös pyydetty ennen tapaamista.',
  null,
];
export const ROOMS = ['1H', '2H', '3H', '4H', '5H'];
export const FEATURES = ['BALCONY', 'SAUNA', 'ELEVATOR', 'GARDEN', 'FIREPLACE'];

/** A small seeded random generator (mulberry32): the demo is the same on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The words of the demo, for generators of bigger data sets (the benchmark's). */
export const DEMO_VOCABULARY = {
  streets: STREETS,
  firstNames: FIRST_NAMES,
  lastNames: LAST_NAMES,
  organizations: ORGANIZATIONS,
  notes: NOTES,
  rooms: ROOMS,
  features: FEATURES,
} as const;
