import type { ArticleDocument, Block } from '../domain/documents/document-schema.ts';
import { prng } from './demo-images.ts';

/*
 * Generates realistic-looking news stories (headline, standfirst, paragraphs, attributed
 * quotes, tags) from templates, deterministically from a seed. Used for the demo site and
 * by `npm run generate` for benchmark databases.
 */

export interface DemoSectionDef {
  slug: string;
  name: string;
  description: string;
}

export const DEMO_SECTIONS: DemoSectionDef[] = [
  { slug: 'world', name: 'World', description: 'International news, conflicts and diplomacy.' },
  { slug: 'europe', name: 'Europe', description: 'Politics and society across Europe.' },
  { slug: 'business', name: 'Business', description: 'Markets, companies and the economy.' },
  { slug: 'climate', name: 'Climate', description: 'Climate, energy and the environment.' },
  { slug: 'science', name: 'Science', description: 'Research, space and health.' },
  { slug: 'tech', name: 'Tech', description: 'Technology, platforms and digital policy.' },
  { slug: 'culture', name: 'Culture', description: 'Film, music, books and the arts.' },
  { slug: 'sport', name: 'Sport', description: 'Football, tennis, athletics and more.' },
];

export const DEMO_AUTHORS = [
  { name: 'Sudesh Baniya', roleTitle: 'International news reporter', bio: 'Sudesh Baniya reports on international affairs, security and the war in Ukraine.' },
  { name: 'Amira Haddad', roleTitle: 'Europe correspondent', bio: 'Amira Haddad covers EU institutions and European politics from Brussels.' },
  { name: 'Tomás Ferreira', roleTitle: 'Business editor', bio: 'Tomás Ferreira writes about markets, trade and the companies that shape them.' },
  { name: 'Ingrid Solberg', roleTitle: 'Climate reporter', bio: 'Ingrid Solberg reports on climate science, energy and environmental policy.' },
  { name: 'Kenji Watanabe', roleTitle: 'Science and technology writer', bio: 'Kenji Watanabe covers research, space and the technology industry.' },
  { name: 'Chloé Martin', roleTitle: 'Culture editor', bio: 'Chloé Martin writes about film, music and the arts.' },
  { name: 'Daniel Okafor', roleTitle: 'Sports reporter', bio: 'Daniel Okafor covers football, athletics and the business of sport.' },
];

interface Topic {
  subject: string;
  place: string;
  tags: string[];
  speaker: string;
  role: string;
}

const TOPICS: Record<string, Topic[]> = {
  world: [
    { subject: 'ceasefire talks', place: 'Geneva', tags: ['Diplomacy', 'United Nations'], speaker: 'Maria Lindqvist', role: 'UN envoy' },
    { subject: 'refugee crisis', place: 'Gaziantep', tags: ['Migration', 'Humanitarian aid'], speaker: 'Omar Said', role: 'aid coordinator' },
    { subject: 'drone strikes', place: 'Kharkiv', tags: ['Ukraine', 'War in Ukraine', 'Military'], speaker: 'Oleksandr Petrenko', role: 'regional governor' },
    { subject: 'election dispute', place: 'Caracas', tags: ['Elections', 'Latin America'], speaker: 'Lucia Romero', role: 'opposition spokeswoman' },
    { subject: 'grain exports', place: 'Odesa', tags: ['Ukraine', 'Food security'], speaker: 'Iryna Koval', role: 'port authority head' },
  ],
  europe: [
    { subject: 'migration pact', place: 'Brussels', tags: ['European Union', 'Migration'], speaker: 'Katrin Vogel', role: 'MEP' },
    { subject: 'farmers’ protests', place: 'Paris', tags: ['Agriculture', 'France'], speaker: 'Jean Moreau', role: 'farmers’ union leader' },
    { subject: 'coalition talks', place: 'Berlin', tags: ['Germany', 'Elections'], speaker: 'Stefan Krüger', role: 'party chairman' },
    { subject: 'rail strike', place: 'Madrid', tags: ['Spain', 'Transport'], speaker: 'Ana Ruiz', role: 'union spokeswoman' },
    { subject: 'rule-of-law dispute', place: 'Budapest', tags: ['European Union', 'Hungary'], speaker: 'Gábor Nagy', role: 'government spokesman' },
  ],
  business: [
    { subject: 'interest rate decision', place: 'Frankfurt', tags: ['Economy', 'Central banks'], speaker: 'Elena Rossi', role: 'chief economist' },
    { subject: 'chip factory', place: 'Dresden', tags: ['Semiconductors', 'Industry'], speaker: 'Markus Hahn', role: 'chief executive' },
    { subject: 'airline merger', place: 'Amsterdam', tags: ['Aviation', 'Competition'], speaker: 'Sophie de Vries', role: 'competition lawyer' },
    { subject: 'housing market slowdown', place: 'Stockholm', tags: ['Economy', 'Housing'], speaker: 'Lars Eriksson', role: 'housing analyst' },
  ],
  climate: [
    { subject: 'heatwave', place: 'Athens', tags: ['Extreme weather', 'Greece'], speaker: 'Nikos Papadakis', role: 'meteorologist' },
    { subject: 'offshore wind auction', place: 'Copenhagen', tags: ['Renewable energy', 'Energy'], speaker: 'Mette Jensen', role: 'energy minister' },
    { subject: 'glacier retreat', place: 'Zermatt', tags: ['Glaciers', 'Science'], speaker: 'Anna Keller', role: 'glaciologist' },
    { subject: 'flood defences', place: 'Valencia', tags: ['Extreme weather', 'Spain'], speaker: 'Pablo Navarro', role: 'civil engineer' },
  ],
  science: [
    { subject: 'Mars sample mission', place: 'Darmstadt', tags: ['Space', 'ESA'], speaker: 'Claire Dubois', role: 'mission scientist' },
    { subject: 'antibiotic resistance study', place: 'Oxford', tags: ['Health', 'Medicine'], speaker: 'Helen Price', role: 'epidemiologist' },
    { subject: 'fusion experiment', place: 'Culham', tags: ['Energy', 'Physics'], speaker: 'Rajesh Mehta', role: 'plasma physicist' },
  ],
  tech: [
    { subject: 'AI regulation', place: 'Brussels', tags: ['Artificial intelligence', 'European Union'], speaker: 'Laura Bianchi', role: 'digital policy expert' },
    { subject: 'data breach', place: 'Dublin', tags: ['Cybersecurity', 'Privacy'], speaker: 'Ciarán Byrne', role: 'security researcher' },
    { subject: 'satellite internet rollout', place: 'Lisbon', tags: ['Telecoms', 'Space'], speaker: 'Rui Costa', role: 'telecoms regulator' },
  ],
  culture: [
    { subject: 'film festival', place: 'Cannes', tags: ['Film', 'Festivals'], speaker: 'Isabelle Fournier', role: 'festival director' },
    { subject: 'museum restitution', place: 'London', tags: ['Museums', 'Heritage'], speaker: 'Adebayo Okonkwo', role: 'curator' },
    { subject: 'song contest', place: 'Malmö', tags: ['Music', 'Eurovision'], speaker: 'Sara Nilsson', role: 'executive producer' },
  ],
  sport: [
    { subject: 'Champions League final', place: 'Wembley', tags: ['Football', 'Champions League'], speaker: 'Marco Bellini', role: 'head coach' },
    { subject: 'doping ban', place: 'Lausanne', tags: ['Athletics', 'Doping'], speaker: 'Thomas Weber', role: 'anti-doping official' },
    { subject: 'Grand Slam upset', place: 'Roland Garros', tags: ['Tennis'], speaker: 'Elise Laurent', role: 'tennis analyst' },
  ],
};

const HEADLINES = [
  (t: Topic) => `${cap(t.subject)} in ${t.place} enters decisive week`,
  (t: Topic) => `What the ${t.subject} means for ${t.place} and beyond`,
  (t: Topic) => `${t.place}: officials warn over ${t.subject}`,
  (t: Topic) => `${cap(t.subject)}: ${t.speaker} calls for urgent action`,
  (t: Topic) => `New figures cast doubt on ${t.subject} in ${t.place}`,
  (t: Topic) => `Inside the ${t.subject} that has divided ${t.place}`,
];

const STANDFIRSTS = [
  (t: Topic) => `The ${t.subject} has become a test for leaders in ${t.place}, and the next few days could decide its outcome.`,
  (t: Topic) => `Critics say the response to the ${t.subject} has been too slow; supporters say the hardest part is over.`,
  (t: Topic) => `Euronews looks at the numbers behind the ${t.subject} and what could happen next.`,
];

const PARAGRAPHS = [
  (t: Topic) => `Officials in ${t.place} said on Tuesday that the ${t.subject} had reached a critical stage, with talks expected to continue late into the week.`,
  (t: Topic) => `The latest developments follow months of pressure from residents, business groups and opposition politicians, who accuse the authorities of reacting too late.`,
  (t: Topic) => `According to figures published this week, the situation has worsened since the spring, although experts caution that the data is incomplete.`,
  (t: Topic) => `Observers in ${t.place} expect further announcements before the end of the month, when a formal review is due.`,
  (t: Topic) => `Neighbouring governments are watching closely, aware that the ${t.subject} could have consequences far beyond ${t.place}.`,
  (t: Topic) => `Analysts note that similar episodes in the past were resolved only after lengthy negotiations and significant concessions on both sides.`,
  (t: Topic) => `Local media reported that several meetings had been scheduled for the coming days, though no agenda has been made public.`,
];

const QUOTES = [
  (t: Topic) => `“We cannot afford to wait any longer. Every week of delay makes the ${t.subject} harder to resolve,” ${t.speaker} said.`,
  (t: Topic) => `“People in ${t.place} deserve clear answers, and so far they have not had them,” ${t.speaker} told reporters.`,
  (t: Topic) => `“This is not the end of the process, but it is an important step,” ${t.speaker} said in a statement.`,
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface GeneratedStory {
  sectionSlug: string;
  headline: string;
  standfirst: string;
  body: ArticleDocument;
  tags: string[];
  authorIndex: number;
  /** 0..1; how far back in the publishing window the story sits. */
  age: number;
}

function text(t: string) {
  return [{ type: 'text' as const, text: t }];
}

/** The n-th generated story for a seed; the same (seed, n) always yields the same story. */
export function generateStory(seed: number, n: number): GeneratedStory {
  const rand = prng(seed * 1_000_003 + n);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const section = DEMO_SECTIONS[n % DEMO_SECTIONS.length]!;
  const topic = pick(TOPICS[section.slug]!);
  const paragraphs = [...PARAGRAPHS].sort(() => rand() - 0.5).slice(0, 4 + Math.floor(rand() * 3));
  const blocks: Block[] = [];
  paragraphs.forEach((p, i) => {
    blocks.push({ type: 'paragraph', content: text(p(topic)) });
    if (i === 1) blocks.push({ type: 'blockquote', content: [text(pick(QUOTES)(topic))], attribution: `${topic.speaker}, ${topic.role}` });
  });
  if (rand() < 0.3) blocks.splice(3, 0, { type: 'heading', level: 2, content: text('What happens next') });
  const authorIndex = Math.max(0, DEMO_SECTIONS.indexOf(section) - 1) % DEMO_AUTHORS.length;
  return {
    sectionSlug: section.slug,
    headline: pick(HEADLINES)(topic),
    standfirst: pick(STANDFIRSTS)(topic),
    body: { version: 1, blocks },
    tags: topic.tags,
    authorIndex,
    age: rand(),
  };
}
