/**
 * Demo plants of the embedded default's demo accounts (the users subgraph seeds ana@, ben@,
 * chloe@ and dev@example.com). Times are days before the moment the garden is planted, so a
 * fresh demo always shows a mix of plants that are fine and plants whose watering is overdue.
 */
export interface DemoPlant {
  /** Catalog species, by scientific name. */
  species: string;
  nickname: string;
  location: string;
  acquiredDaysAgo: number;
  /** Days since the last watering; the history goes back from there at the species' interval. */
  lastWateredDaysAgo: number;
  /** Number of waterings in the history. */
  waterings: number;
  amountMl: number;
  /** Growth journal: days ago, height, leaves, note. */
  growth: { daysAgo: number; heightCm?: number; leafCount?: number; note?: string }[];
}

/** Demo plants per demo account email. */
export const DEMO_GARDENS: Readonly<Record<string, readonly DemoPlant[]>> = {
  'ana@example.com': [
    {
      species: 'Monstera deliciosa',
      nickname: 'Monty',
      location: 'Living room, by the balcony door',
      acquiredDaysAgo: 120,
      lastWateredDaysAgo: 3,
      waterings: 8,
      amountMl: 500,
      growth: [
        { daysAgo: 90, heightCm: 48, leafCount: 7 },
        { daysAgo: 60, heightCm: 55, leafCount: 8, note: 'First leaf with splits.' },
        { daysAgo: 30, heightCm: 61, leafCount: 9 },
        { daysAgo: 2, heightCm: 66, leafCount: 10, note: 'Added a moss pole.' },
      ],
    },
    {
      species: 'Dracaena trifasciata',
      nickname: 'Sansa',
      location: 'Bedroom corner',
      acquiredDaysAgo: 200,
      lastWateredDaysAgo: 12,
      waterings: 6,
      amountMl: 250,
      growth: [
        { daysAgo: 150, heightCm: 35, leafCount: 9 },
        { daysAgo: 40, heightCm: 38, leafCount: 11, note: 'New pup at the base.' },
      ],
    },
    {
      species: 'Spathiphyllum wallisii',
      nickname: 'Lily',
      location: 'Bathroom shelf',
      acquiredDaysAgo: 45,
      lastWateredDaysAgo: 8,
      waterings: 6,
      amountMl: 300,
      growth: [
        { daysAgo: 40, heightCm: 30, leafCount: 12 },
        { daysAgo: 10, heightCm: 33, leafCount: 14, note: 'Two white spathes opening.' },
      ],
    },
  ],
  'ben@example.com': [
    {
      species: 'Epipremnum aureum',
      nickname: 'Goldie',
      location: 'Kitchen shelf',
      acquiredDaysAgo: 300,
      lastWateredDaysAgo: 2,
      waterings: 10,
      amountMl: 250,
      growth: [
        { daysAgo: 200, heightCm: 60 },
        { daysAgo: 100, heightCm: 95, note: 'Trimmed and propagated three cuttings.' },
        { daysAgo: 5, heightCm: 80 },
      ],
    },
    {
      species: 'Zamioculcas zamiifolia',
      nickname: 'Zed',
      location: 'Office desk',
      acquiredDaysAgo: 400,
      lastWateredDaysAgo: 25,
      waterings: 5,
      amountMl: 300,
      growth: [
        { daysAgo: 300, heightCm: 40, leafCount: 6 },
        { daysAgo: 60, heightCm: 46, leafCount: 8, note: 'Two new stems.' },
      ],
    },
    {
      species: 'Chlorophytum comosum',
      nickname: 'Charlotte',
      location: 'Hallway window',
      acquiredDaysAgo: 60,
      lastWateredDaysAgo: 5,
      waterings: 7,
      amountMl: 200,
      growth: [
        { daysAgo: 50, leafCount: 18 },
        { daysAgo: 7, leafCount: 24, note: 'Runners with baby plants.' },
      ],
    },
  ],
  'chloe@example.com': [
    {
      species: 'Strelitzia reginae',
      nickname: 'Paradis',
      location: 'Sunny balcony door',
      acquiredDaysAgo: 180,
      lastWateredDaysAgo: 4,
      waterings: 9,
      amountMl: 700,
      growth: [
        { daysAgo: 150, heightCm: 90, leafCount: 6 },
        { daysAgo: 20, heightCm: 104, leafCount: 8 },
      ],
    },
    {
      species: 'Pachira aquatica',
      nickname: 'Fortune',
      location: 'Study',
      acquiredDaysAgo: 90,
      lastWateredDaysAgo: 14,
      waterings: 5,
      amountMl: 400,
      growth: [
        { daysAgo: 80, heightCm: 70 },
        { daysAgo: 15, heightCm: 74, note: 'Lower leaves yellowing: check the drainage.' },
      ],
    },
    {
      species: 'Cyclamen persicum',
      nickname: 'Rosa',
      location: 'Cool north windowsill',
      acquiredDaysAgo: 30,
      lastWateredDaysAgo: 1,
      waterings: 5,
      amountMl: 150,
      growth: [{ daysAgo: 25, heightCm: 18, note: 'Nine flowers.' }],
    },
  ],
  'dev@example.com': [
    {
      species: 'Begonia rex',
      nickname: 'Rex',
      location: 'Bookshelf',
      acquiredDaysAgo: 75,
      lastWateredDaysAgo: 6,
      waterings: 8,
      amountMl: 200,
      growth: [
        { daysAgo: 70, heightCm: 20, leafCount: 9 },
        { daysAgo: 10, heightCm: 24, leafCount: 13 },
      ],
    },
    {
      species: 'Philodendron hederaceum',
      nickname: 'Phil',
      location: 'Top of the fridge',
      acquiredDaysAgo: 150,
      lastWateredDaysAgo: 3,
      waterings: 9,
      amountMl: 250,
      growth: [
        { daysAgo: 120, heightCm: 45 },
        { daysAgo: 30, heightCm: 70, note: 'Vines reach the counter now.' },
      ],
    },
    {
      species: 'Aglaonema commutatum',
      nickname: 'Evergreen',
      location: 'Dim hallway',
      acquiredDaysAgo: 240,
      lastWateredDaysAgo: 11,
      waterings: 6,
      amountMl: 300,
      growth: [
        { daysAgo: 200, heightCm: 32, leafCount: 10 },
        { daysAgo: 45, heightCm: 36, leafCount: 12 },
      ],
    },
  ],
};
