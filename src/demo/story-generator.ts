import type { ArticleDocument, Block, Inline } from '../domain/documents/document-schema.ts';
import { prng } from './demo-images.ts';

/*
 * Generates realistic-looking news stories (headline, standfirst, paragraphs, attributed
 * quotes, lists, tags) from templates, deterministically from a seed. Used for the demo site
 * and by `npm run generate` for benchmark databases.
 *
 * Variety: every story combines a section subject, a place, a speaker, a headline template and
 * a few numbers, so a million generated stories spread over hundreds of thousands of distinct
 * headlines rather than a few hundred.
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
  {
    name: 'Sudesh Baniya',
    roleTitle: 'International news reporter',
    bio: 'Sudesh Baniya reports on international affairs, security and the war in Ukraine.',
  },
  {
    name: 'Amira Haddad',
    roleTitle: 'Europe correspondent',
    bio: 'Amira Haddad covers EU institutions and European politics from Brussels.',
  },
  {
    name: 'Tomás Ferreira',
    roleTitle: 'Business editor',
    bio: 'Tomás Ferreira writes about markets, trade and the companies that shape them.',
  },
  {
    name: 'Ingrid Solberg',
    roleTitle: 'Climate reporter',
    bio: 'Ingrid Solberg reports on climate science, energy and environmental policy.',
  },
  {
    name: 'Kenji Watanabe',
    roleTitle: 'Science and technology writer',
    bio: 'Kenji Watanabe covers research, space and the technology industry.',
  },
  { name: 'Chloé Martin', roleTitle: 'Culture editor', bio: 'Chloé Martin writes about film, music and the arts.' },
  { name: 'Daniel Okafor', roleTitle: 'Sports reporter', bio: 'Daniel Okafor covers football, athletics and the business of sport.' },
];

/** One story's ingredients, assembled from the section's pools. */
interface Topic {
  subject: string;
  place: string;
  tags: string[];
  speaker: string;
  role: string;
  /** A second voice, for balance. */
  critic: string;
  criticRole: string;
  /** Who acts in the story: "the government", "the club", "the company"… */
  actor: string;
  n1: number;
  /** A head count, formatted: "4,310". */
  n2: string;
  /** Millions of euros. */
  n3: number;
  pct: string;
  day: string;
  month: string;
}

interface SectionPool {
  subjects: Array<{ subject: string; tags: string[] }>;
  /** [place, country tag or null] */
  places: Array<[string, string | null]>;
  speakers: Array<[name: string, role: string]>;
  actors: string[];
}

const POOLS: Record<string, SectionPool> = {
  world: {
    subjects: [
      { subject: 'ceasefire talks', tags: ['Diplomacy', 'United Nations'] },
      { subject: 'refugee crisis', tags: ['Migration', 'Humanitarian aid'] },
      { subject: 'drone strikes', tags: ['War in Ukraine', 'Military'] },
      { subject: 'election dispute', tags: ['Elections'] },
      { subject: 'grain exports', tags: ['Food security', 'Trade'] },
      { subject: 'hostage negotiations', tags: ['Diplomacy', 'Security'] },
      { subject: 'border clashes', tags: ['Military', 'Security'] },
      { subject: 'aid convoy', tags: ['Humanitarian aid'] },
      { subject: 'sanctions package', tags: ['Sanctions', 'Diplomacy'] },
      { subject: 'peace summit', tags: ['Diplomacy', 'United Nations'] },
      { subject: 'prisoner exchange', tags: ['War in Ukraine', 'Diplomacy'] },
      { subject: 'earthquake relief effort', tags: ['Humanitarian aid', 'Natural disasters'] },
      { subject: 'coup attempt', tags: ['Security', 'Democracy'] },
      { subject: 'mass protests', tags: ['Protests', 'Democracy'] },
    ],
    places: [
      ['Geneva', 'Switzerland'],
      ['Gaziantep', 'Turkey'],
      ['Kharkiv', 'Ukraine'],
      ['Caracas', 'Venezuela'],
      ['Odesa', 'Ukraine'],
      ['Nairobi', 'Kenya'],
      ['Beirut', 'Lebanon'],
      ['Tbilisi', 'Georgia'],
      ['Khartoum', 'Sudan'],
      ['Dhaka', 'Bangladesh'],
      ['Bogotá', 'Colombia'],
      ['Yerevan', 'Armenia'],
      ['Manila', 'Philippines'],
      ['Niamey', 'Niger'],
      ['Kyiv', 'Ukraine'],
      ['Amman', 'Jordan'],
    ],
    speakers: [
      ['Maria Lindqvist', 'UN envoy'],
      ['Omar Said', 'aid coordinator'],
      ['Oleksandr Petrenko', 'regional governor'],
      ['Lucia Romero', 'opposition spokeswoman'],
      ['Iryna Koval', 'port authority head'],
      ['Samuel Otieno', 'foreign minister'],
      ['Nour Khalil', 'Red Cross spokeswoman'],
      ['David Mensah', 'security analyst'],
    ],
    actors: ['the government', 'UN agencies', 'the rebels', 'mediators', 'the army', 'aid agencies'],
  },
  europe: {
    subjects: [
      { subject: 'migration pact', tags: ['European Union', 'Migration'] },
      { subject: 'farmers’ protests', tags: ['Agriculture', 'Protests'] },
      { subject: 'coalition talks', tags: ['Elections', 'Politics'] },
      { subject: 'rail strike', tags: ['Transport', 'Strikes'] },
      { subject: 'rule-of-law dispute', tags: ['European Union', 'Democracy'] },
      { subject: 'pension reform', tags: ['Politics', 'Economy'] },
      { subject: 'budget row', tags: ['European Union', 'Politics'] },
      { subject: 'snap election', tags: ['Elections'] },
      { subject: 'housing protests', tags: ['Housing', 'Protests'] },
      { subject: 'corruption inquiry', tags: ['Corruption', 'Politics'] },
      { subject: 'defence spending plan', tags: ['Defence', 'NATO'] },
      { subject: 'enlargement talks', tags: ['European Union', 'Diplomacy'] },
    ],
    places: [
      ['Brussels', 'Belgium'],
      ['Paris', 'France'],
      ['Berlin', 'Germany'],
      ['Madrid', 'Spain'],
      ['Budapest', 'Hungary'],
      ['Warsaw', 'Poland'],
      ['Rome', 'Italy'],
      ['Lisbon', 'Portugal'],
      ['Vienna', 'Austria'],
      ['Prague', 'Czech Republic'],
      ['Bucharest', 'Romania'],
      ['Athens', 'Greece'],
      ['The Hague', 'Netherlands'],
      ['Bratislava', 'Slovakia'],
      ['Dublin', 'Ireland'],
      ['Chișinău', 'Moldova'],
    ],
    speakers: [
      ['Katrin Vogel', 'MEP'],
      ['Jean Moreau', 'farmers’ union leader'],
      ['Stefan Krüger', 'party chairman'],
      ['Ana Ruiz', 'union spokeswoman'],
      ['Gábor Nagy', 'government spokesman'],
      ['Marta Kowalska', 'deputy prime minister'],
      ['Luca Ferri', 'political scientist'],
      ['Eva Horváthová', 'EU commissioner'],
    ],
    actors: ['the government', 'the European Commission', 'parliament', 'the opposition', 'unions', 'the ruling coalition'],
  },
  business: {
    subjects: [
      { subject: 'interest rate decision', tags: ['Economy', 'Central banks'] },
      { subject: 'chip factory', tags: ['Semiconductors', 'Industry'] },
      { subject: 'airline merger', tags: ['Aviation', 'Competition'] },
      { subject: 'housing market slowdown', tags: ['Economy', 'Housing'] },
      { subject: 'inflation figures', tags: ['Economy', 'Inflation'] },
      { subject: 'car plant closure', tags: ['Automotive', 'Industry'] },
      { subject: 'bank takeover', tags: ['Banking', 'Competition'] },
      { subject: 'trade tariffs', tags: ['Trade', 'Economy'] },
      { subject: 'energy prices', tags: ['Energy', 'Inflation'] },
      { subject: 'stock market rally', tags: ['Markets'] },
      { subject: 'luxury sales slump', tags: ['Retail', 'Markets'] },
      { subject: 'job cuts', tags: ['Employment', 'Industry'] },
    ],
    places: [
      ['Frankfurt', 'Germany'],
      ['Dresden', 'Germany'],
      ['Amsterdam', 'Netherlands'],
      ['Stockholm', 'Sweden'],
      ['Milan', 'Italy'],
      ['London', 'United Kingdom'],
      ['Zurich', 'Switzerland'],
      ['Luxembourg', 'Luxembourg'],
      ['Paris', 'France'],
      ['Wolfsburg', 'Germany'],
      ['Barcelona', 'Spain'],
      ['Helsinki', 'Finland'],
      ['Shanghai', 'China'],
      ['New York', 'United States'],
    ],
    speakers: [
      ['Elena Rossi', 'chief economist'],
      ['Markus Hahn', 'chief executive'],
      ['Sophie de Vries', 'competition lawyer'],
      ['Lars Eriksson', 'housing analyst'],
      ['Priya Natarajan', 'fund manager'],
      ['Henrik Olsen', 'trade union negotiator'],
      ['Claudia Weiss', 'central bank governor'],
      ['Paolo Conti', 'market strategist'],
    ],
    actors: ['the company', 'the central bank', 'investors', 'regulators', 'shareholders', 'the board'],
  },
  climate: {
    subjects: [
      { subject: 'heatwave', tags: ['Extreme weather', 'Climate change'] },
      { subject: 'offshore wind auction', tags: ['Renewable energy', 'Energy'] },
      { subject: 'glacier retreat', tags: ['Glaciers', 'Climate change'] },
      { subject: 'flood defences', tags: ['Extreme weather', 'Infrastructure'] },
      { subject: 'wildfire season', tags: ['Wildfires', 'Extreme weather'] },
      { subject: 'drought', tags: ['Water', 'Agriculture'] },
      { subject: 'emissions target', tags: ['Climate policy', 'Climate change'] },
      { subject: 'coal phase-out', tags: ['Energy', 'Climate policy'] },
      { subject: 'heat pump subsidy', tags: ['Energy', 'Climate policy'] },
      { subject: 'river pollution', tags: ['Pollution', 'Water'] },
      { subject: 'solar farm', tags: ['Renewable energy'] },
      { subject: 'biodiversity plan', tags: ['Biodiversity', 'Nature'] },
    ],
    places: [
      ['Athens', 'Greece'],
      ['Copenhagen', 'Denmark'],
      ['Zermatt', 'Switzerland'],
      ['Valencia', 'Spain'],
      ['Sicily', 'Italy'],
      ['the Alps', null],
      ['Rotterdam', 'Netherlands'],
      ['the North Sea', null],
      ['Andalusia', 'Spain'],
      ['Lapland', 'Finland'],
      ['the Rhine valley', 'Germany'],
      ['Bavaria', 'Germany'],
      ['Provence', 'France'],
      ['the Danube delta', 'Romania'],
    ],
    speakers: [
      ['Nikos Papadakis', 'meteorologist'],
      ['Mette Jensen', 'energy minister'],
      ['Anna Keller', 'glaciologist'],
      ['Pablo Navarro', 'civil engineer'],
      ['Freya Lund', 'climate scientist'],
      ['Tomasz Wiśniewski', 'grid operator'],
      ['Giulia Marino', 'environmental campaigner'],
      ['Jonas Berg', 'hydrologist'],
    ],
    actors: ['the government', 'environmental groups', 'energy firms', 'local authorities', 'scientists', 'farmers'],
  },
  science: {
    subjects: [
      { subject: 'Mars sample mission', tags: ['Space', 'ESA'] },
      { subject: 'antibiotic resistance study', tags: ['Health', 'Medicine'] },
      { subject: 'fusion experiment', tags: ['Energy', 'Physics'] },
      { subject: 'cancer vaccine trial', tags: ['Health', 'Medicine'] },
      { subject: 'dinosaur fossil find', tags: ['Palaeontology'] },
      { subject: 'moon landing attempt', tags: ['Space'] },
      { subject: 'bird flu outbreak', tags: ['Health', 'Animals'] },
      { subject: 'dementia drug', tags: ['Health', 'Medicine'] },
      { subject: 'quantum computer', tags: ['Physics', 'Computing'] },
      { subject: 'telescope images', tags: ['Space', 'Astronomy'] },
      { subject: 'genome study', tags: ['Genetics'] },
      { subject: 'ocean floor survey', tags: ['Oceans', 'Nature'] },
    ],
    places: [
      ['Darmstadt', 'Germany'],
      ['Oxford', 'United Kingdom'],
      ['Culham', 'United Kingdom'],
      ['Geneva', 'Switzerland'],
      ['Toulouse', 'France'],
      ['Heidelberg', 'Germany'],
      ['Leiden', 'Netherlands'],
      ['Uppsala', 'Sweden'],
      ['Kourou', 'French Guiana'],
      ['Trieste', 'Italy'],
      ['Cambridge', 'United Kingdom'],
      ['Barcelona', 'Spain'],
    ],
    speakers: [
      ['Claire Dubois', 'mission scientist'],
      ['Helen Price', 'epidemiologist'],
      ['Rajesh Mehta', 'plasma physicist'],
      ['Ingrid Holm', 'lead researcher'],
      ['Yusuf Demir', 'virologist'],
      ['Beatriz Santos', 'astronomer'],
      ['Michael Brandt', 'geneticist'],
      ['Aiko Tanaka', 'neuroscientist'],
    ],
    actors: ['researchers', 'the agency', 'scientists', 'the university', 'health officials', 'the team'],
  },
  tech: {
    subjects: [
      { subject: 'AI regulation', tags: ['Artificial intelligence', 'Regulation'] },
      { subject: 'data breach', tags: ['Cybersecurity', 'Privacy'] },
      { subject: 'satellite internet rollout', tags: ['Telecoms', 'Space'] },
      { subject: 'ransomware attack', tags: ['Cybersecurity'] },
      { subject: 'app store ruling', tags: ['Competition', 'Regulation'] },
      { subject: 'chatbot launch', tags: ['Artificial intelligence'] },
      { subject: 'social media ban for teenagers', tags: ['Social media', 'Regulation'] },
      { subject: 'data centre expansion', tags: ['Cloud computing', 'Energy'] },
      { subject: 'electric car software recall', tags: ['Automotive', 'Software'] },
      { subject: 'digital ID scheme', tags: ['Privacy', 'Digital government'] },
      { subject: 'undersea cable damage', tags: ['Telecoms', 'Security'] },
      { subject: 'smartphone launch', tags: ['Smartphones'] },
    ],
    places: [
      ['Brussels', 'Belgium'],
      ['Dublin', 'Ireland'],
      ['Lisbon', 'Portugal'],
      ['Tallinn', 'Estonia'],
      ['Berlin', 'Germany'],
      ['Stockholm', 'Sweden'],
      ['Paris', 'France'],
      ['Helsinki', 'Finland'],
      ['Amsterdam', 'Netherlands'],
      ['Silicon Valley', 'United States'],
      ['Seoul', 'South Korea'],
      ['Bengaluru', 'India'],
    ],
    speakers: [
      ['Laura Bianchi', 'digital policy expert'],
      ['Ciarán Byrne', 'security researcher'],
      ['Rui Costa', 'telecoms regulator'],
      ['Kadri Tamm', 'chief technology officer'],
      ['Felix Schneider', 'privacy lawyer'],
      ['Nina Petrova', 'software engineer'],
      ['Olivier Garnier', 'start-up founder'],
      ['Hanna Virtanen', 'data protection commissioner'],
    ],
    actors: ['the company', 'regulators', 'the platform', 'hackers', 'the European Commission', 'developers'],
  },
  culture: {
    subjects: [
      { subject: 'film festival', tags: ['Film', 'Festivals'] },
      { subject: 'museum restitution', tags: ['Museums', 'Heritage'] },
      { subject: 'song contest', tags: ['Music', 'Eurovision'] },
      { subject: 'book prize', tags: ['Books', 'Awards'] },
      { subject: 'opera premiere', tags: ['Opera', 'Music'] },
      { subject: 'art auction', tags: ['Art', 'Markets'] },
      { subject: 'heritage site listing', tags: ['Heritage', 'UNESCO'] },
      { subject: 'streaming deal', tags: ['Television', 'Film'] },
      { subject: 'concert tour', tags: ['Music'] },
      { subject: 'architecture biennale', tags: ['Architecture', 'Festivals'] },
      { subject: 'theatre funding cuts', tags: ['Theatre', 'Arts funding'] },
      { subject: 'fashion week', tags: ['Fashion'] },
    ],
    places: [
      ['Cannes', 'France'],
      ['London', 'United Kingdom'],
      ['Malmö', 'Sweden'],
      ['Venice', 'Italy'],
      ['Berlin', 'Germany'],
      ['Salzburg', 'Austria'],
      ['Edinburgh', 'United Kingdom'],
      ['Avignon', 'France'],
      ['Kraków', 'Poland'],
      ['Bilbao', 'Spain'],
      ['Florence', 'Italy'],
      ['Antwerp', 'Belgium'],
      ['Milan', 'Italy'],
      ['Reykjavík', 'Iceland'],
    ],
    speakers: [
      ['Isabelle Fournier', 'festival director'],
      ['Adebayo Okonkwo', 'curator'],
      ['Sara Nilsson', 'executive producer'],
      ['Matteo Ricci', 'film critic'],
      ['Agnieszka Zając', 'novelist'],
      ['Pierre Lefèvre', 'conductor'],
      ['Emma Clarke', 'art historian'],
      ['Javier Ortega', 'theatre director'],
    ],
    actors: ['organisers', 'the jury', 'the museum', 'the culture ministry', 'critics', 'the studio'],
  },
  sport: {
    subjects: [
      { subject: 'Champions League final', tags: ['Football', 'Champions League'] },
      { subject: 'doping ban', tags: ['Athletics', 'Doping'] },
      { subject: 'Grand Slam upset', tags: ['Tennis'] },
      { subject: 'transfer saga', tags: ['Football', 'Transfers'] },
      { subject: 'Tour de France stage', tags: ['Cycling', 'Tour de France'] },
      { subject: 'Six Nations clash', tags: ['Rugby', 'Six Nations'] },
      { subject: 'world record attempt', tags: ['Athletics'] },
      { subject: 'Formula 1 crash', tags: ['Formula 1', 'Motorsport'] },
      { subject: 'ski World Cup race', tags: ['Skiing', 'Winter sports'] },
      { subject: 'stadium ban', tags: ['Football', 'Fans'] },
      { subject: 'Olympic bid', tags: ['Olympics'] },
      { subject: 'coach sacking', tags: ['Football'] },
    ],
    places: [
      ['Wembley', 'United Kingdom'],
      ['Lausanne', 'Switzerland'],
      ['Roland Garros', 'France'],
      ['Madrid', 'Spain'],
      ['Munich', 'Germany'],
      ['Turin', 'Italy'],
      ['Monaco', 'Monaco'],
      ['Kitzbühel', 'Austria'],
      ['Dublin', 'Ireland'],
      ['Cardiff', 'United Kingdom'],
      ['Istanbul', 'Turkey'],
      ['the Pyrenees', null],
      ['Silverstone', 'United Kingdom'],
      ['Oslo', 'Norway'],
    ],
    speakers: [
      ['Marco Bellini', 'head coach'],
      ['Thomas Weber', 'anti-doping official'],
      ['Elise Laurent', 'tennis analyst'],
      ['Kwame Asante', 'club captain'],
      ['Sofia Andersson', 'federation president'],
      ['Diego Fernández', 'sporting director'],
      ['Jack O’Brien', 'former international'],
      ['Lena Fischer', 'team principal'],
    ],
    actors: ['the club', 'the federation', 'fans', 'the team', 'organisers', 'the league'],
  },
};

const DAYS = ['on Monday', 'on Tuesday', 'on Wednesday', 'on Thursday', 'on Friday', 'at the weekend', 'overnight', 'earlier this week'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

type T = (t: Topic) => string;

const HEADLINES: T[] = [
  (t) => `${cap(t.subject)} in ${t.place} enters decisive week`,
  (t) => `What the ${t.subject} means for ${t.place} and beyond`,
  (t) => `${t.place}: officials warn over ${t.subject}`,
  (t) => `${cap(t.subject)}: ${t.speaker} calls for urgent action`,
  (t) => `New figures cast doubt on ${t.subject} in ${t.place}`,
  (t) => `Inside the ${t.subject} that has divided ${t.place}`,
  (t) => `${cap(t.actor)} under pressure as ${t.subject} deepens in ${t.place}`,
  (t) => `${t.n1} things to know about the ${t.subject}`,
  (t) => `${cap(t.subject)}: ${t.pct} of residents in ${t.place} want change, poll finds`,
  (t) => `‘We were not consulted’: anger in ${t.place} over ${t.subject}`,
  (t) => `${t.speaker}: the ${t.subject} is ‘a turning point’ for ${t.place}`,
  (t) => `Explained: why the ${t.subject} matters in ${t.place}`,
  (t) => `${cap(t.actor)} and ${t.speaker} clash over ${t.subject}`,
  (t) => `${cap(t.subject)} costs ${t.place} ${t.n3} million euros, report says`,
  (t) => `Live: latest on the ${t.subject} in ${t.place}`,
  (t) => `${t.place} braces for ${t.subject} as deadline looms in ${t.month}`,
  (t) => `${cap(t.subject)}: ${t.critic} accuses ${t.actor} of ‘broken promises’`,
  (t) => `How ${t.place} became the centre of the ${t.subject}`,
  (t) => `${cap(t.actor)} ${verb(t.actor, 'promise', 'promises')} answers on ${t.subject} by ${t.month}`,
  (t) => `${t.n1} days that changed the ${t.subject} in ${t.place}`,
  (t) => `Analysis: the ${t.subject} will outlast this ${t.month}`,
  (t) => `${cap(t.subject)} in ${t.place}: ${t.n2} people affected, say officials`,
  (t) => `${t.critic} warns ${t.subject} ‘could happen anywhere’`,
  (t) => `Second day of talks on ${t.subject} ends without deal in ${t.place}`,
  (t) => `${cap(t.subject)}: what ${t.actor} said ${t.day}`,
  (t) => `${t.place} mayor demands inquiry into ${t.subject}`,
  (t) => `‘A wake-up call’: ${t.speaker} on the ${t.subject}`,
  (t) => `Fact check: ${t.n1} claims about the ${t.subject} in ${t.place}`,
];

const STANDFIRSTS: T[] = [
  (t) => `The ${t.subject} has become a test for leaders in ${t.place}, and the next few days could decide its outcome.`,
  (t) => `Critics say the response to the ${t.subject} has been too slow; supporters say the hardest part is over.`,
  (t) => `Euronews looks at the numbers behind the ${t.subject} and what could happen next.`,
  (t) => `${t.speaker}, ${t.role}, says ${t.actor} must act before ${t.month}. Not everyone agrees.`,
  (t) => `Some ${t.n2} people in and around ${t.place} are directly affected, according to official estimates.`,
  (t) => `As ${t.actor} ${verb(t.actor, 'prepare', 'prepares')} a response, ${t.critic} warns that time is running out.`,
  (t) => `A poll suggests ${t.pct} of people support a change of course on the ${t.subject}.`,
  (t) => `What began as a local row in ${t.place} has turned into a national debate.`,
];

const PARAGRAPHS: T[] = [
  (t) =>
    `Officials in ${t.place} said ${t.day} that the ${t.subject} had reached a critical stage, with talks expected to continue late into the week.`,
  (t) =>
    `The latest developments follow months of pressure from residents, business groups and opposition politicians, who accuse ${t.actor} of reacting too late.`,
  (t) =>
    `According to figures published this week, the situation has worsened since ${t.month}, although experts caution that the data is incomplete.`,
  (t) => `Observers in ${t.place} expect further announcements before the end of the month, when a formal review is due.`,
  (t) => `Neighbouring governments are watching closely, aware that the ${t.subject} could have consequences far beyond ${t.place}.`,
  (t) =>
    `Analysts note that similar episodes in the past were resolved only after lengthy negotiations and significant concessions on both sides.`,
  (t) => `Local media reported that several meetings had been scheduled for the coming days, though no agenda has been made public.`,
  (t) => `Around ${t.n2} people are thought to be directly affected, a number that ${t.critic}, ${t.criticRole}, says is an underestimate.`,
  (t) =>
    `A survey published ${t.day} found that ${t.pct} of respondents in ${t.place} were dissatisfied with how the ${t.subject} had been handled.`,
  (t) =>
    `${cap(t.actor)} said in a written statement that “all options remain on the table” and that a decision would be taken within ${t.n1} weeks.`,
  (t) =>
    `It is the ${ordinal(t.n1)} time in ${t.n1 + 3} years that ${t.place} has faced such a situation, and memories of the last one remain raw.`,
  (t) => `Opposition figures have demanded a full public inquiry, arguing that warnings issued as early as ${t.month} were ignored.`,
  (t) => `The ${t.subject} has also exposed divisions within ${t.actor}, where some have privately questioned the strategy.`,
  (t) => `Independent experts contacted by Euronews broadly agreed that the cost, estimated at ${t.n3} million euros, could rise further.`,
  (t) => `In ${t.place}, the mood was described as tense but calm, with people going about their business under a heavy media presence.`,
  (t) =>
    `${t.speaker} is expected to meet representatives of ${t.actor} ${t.day === 'overnight' ? 'later today' : 'next week'} to discuss a way forward.`,
  (t) => `Campaigners say ${t.pct} of the promised funding has yet to materialise, a claim the authorities dispute.`,
  (t) => `The ${t.subject} is likely to feature prominently at a summit planned for ${t.month}, diplomats said.`,
  (t) =>
    `Residents interviewed in ${t.place} expressed a mix of frustration and resignation, with many saying they had heard similar promises before.`,
  (t) => `Historians point out that the region has weathered comparable upheavals, though rarely with so much attention from abroad.`,
];

const QUOTES: T[] = [
  (t) => `“We cannot afford to wait any longer. Every week of delay makes the ${t.subject} harder to resolve,” ${t.speaker} said.`,
  (t) => `“People in ${t.place} deserve clear answers, and so far they have not had them,” ${t.speaker} told reporters.`,
  (t) => `“This is not the end of the process, but it is an important step,” ${t.speaker} said in a statement.`,
  (t) => `“Nobody expected the ${t.subject} to move this quickly,” ${t.speaker} said. “We are all catching up.”`,
  (t) => `“The numbers speak for themselves: ${t.pct} is not a rounding error,” ${t.speaker} said.`,
  (t) => `“I have spent ${t.n1 + 10} years in this job and I have never seen anything like it,” ${t.speaker} told Euronews.`,
];

const CRITIC_QUOTES: T[] = [
  (t) => `${t.critic}, ${t.criticRole}, was less optimistic: “We have heard these promises before. Words are not enough.”`,
  (t) => `“This is a smokescreen,” said ${t.critic}, ${t.criticRole}. “The real decisions were taken months ago.”`,
  (t) => `${t.critic}, ${t.criticRole}, said the plan “fails the people of ${t.place}” and called for a new approach.`,
];

const PULLQUOTES: T[] = [
  (t) => `Every week of delay makes the ${t.subject} harder to resolve.`,
  (t) => `People in ${t.place} deserve clear answers.`,
  () => `We have heard these promises before.`,
];

const HEADINGS = ['What happens next', 'Why it matters', 'The numbers', 'A long history', 'What critics say', 'The view from the ground'];

const KEY_POINTS: T[] = [
  (t) => `The ${t.subject} affects an estimated ${t.n2} people`,
  (t) => `${cap(t.actor)} ${verb(t.actor, 'have', 'has')} promised a decision by ${t.month}`,
  (t) => `${t.pct} of those polled want a change of course`,
  (t) => `${t.speaker} has called for urgent action`,
  (t) => `Talks are due to resume ${t.day === 'overnight' ? 'tomorrow' : 'next week'} in ${t.place}`,
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Subject–verb agreement for actors such as "the company" / "investors". */
function verb(actor: string, plural: string, singular: string): string {
  return actor.endsWith('s') ? plural : singular;
}

function thousands(n: number): string {
  return n >= 1000 ? `${Math.floor(n / 1000)},${String(n % 1000).padStart(3, '0')}` : String(n);
}

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'][n - 1] ?? `${n}th`;
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

function text(t: string): Inline[] {
  return [{ type: 'text', text: t }];
}

/** The n-th generated story for a seed; the same (seed, n) always yields the same story. */
export function generateStory(seed: number, n: number): GeneratedStory {
  const rand = prng(seed * 1_000_003 + n);
  const int = (max: number) => Math.floor(rand() * max);
  const pick = <X>(list: readonly X[]): X => list[int(list.length)]!;
  const section = DEMO_SECTIONS[n % DEMO_SECTIONS.length]!;
  const pool = POOLS[section.slug]!;
  const subject = pick(pool.subjects);
  const [place, country] = pick(pool.places);
  const speakerIndex = int(pool.speakers.length);
  const [speaker, role] = pool.speakers[speakerIndex]!;
  const [critic, criticRole] = pool.speakers[(speakerIndex + 1 + int(pool.speakers.length - 1)) % pool.speakers.length]!;
  const topic: Topic = {
    subject: subject.subject,
    place,
    tags: country && !subject.tags.includes(country) ? [...subject.tags, country] : subject.tags,
    speaker,
    role,
    critic,
    criticRole,
    actor: pick(pool.actors),
    n1: 2 + int(8),
    n2: thousands(10 * (1 + int(999))),
    n3: 1 + int(900),
    pct: `${12 + int(80)}%`,
    day: pick(DAYS),
    month: pick(MONTHS),
  };

  // Paragraph order and selection: a partial Fisher–Yates shuffle of the pool.
  const order = PARAGRAPHS.map((_, i) => i);
  const count = 4 + int(5);
  for (let i = 0; i < count; i++) {
    const j = i + int(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const blocks: Block[] = [];
  const quoteAt = 1 + int(2);
  for (let i = 0; i < count; i++) {
    blocks.push({ type: 'paragraph', content: text(PARAGRAPHS[order[i]!]!(topic)) });
    if (i === quoteAt)
      blocks.push({ type: 'blockquote', content: [text(pick(QUOTES)(topic))], attribution: `${topic.speaker}, ${topic.role}` });
  }
  if (rand() < 0.5) blocks.push({ type: 'paragraph', content: text(pick(CRITIC_QUOTES)(topic)) });
  if (rand() < 0.3) blocks.splice(3, 0, { type: 'heading', level: 2, content: text(pick(HEADINGS)) });
  if (rand() < 0.2) {
    const items = KEY_POINTS.filter(() => rand() < 0.7).map((k) => text(k(topic)));
    if (items.length) blocks.splice(1, 0, { type: 'list', ordered: false, items });
  }
  if (rand() < 0.15) blocks.splice(blocks.length - 1, 0, { type: 'pullquote', text: pick(PULLQUOTES)(topic), attribution: topic.speaker });
  if (rand() < 0.1) {
    blocks.push({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Read the ' },
        { type: 'link', href: `https://www.example.org/reports/${n % 997}`, content: [{ type: 'text', text: 'full report' }] },
        { type: 'text', text: ` on the ${topic.subject}.` },
      ],
    });
  }

  // Mostly the section's own reporter; sometimes a colleague.
  const home = Math.max(0, DEMO_SECTIONS.indexOf(section) - 1) % DEMO_AUTHORS.length;
  const authorIndex = rand() < 0.8 ? home : int(DEMO_AUTHORS.length);
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
