// The sentiment lexicon: English words and their valence from -4 (very negative) to +4 (very
// positive), in the spirit of AFINN and VADER, with the vocabulary of political conversation added
// (scandal, corrupt, resign, grassroots, ...). Words are lower case; a trailing "*" matches any
// ending ("corrupt*": corrupt, corruption, corrupted). Extend it here; score.ts does the rest.
export const LEXICON: Record<string, number> = {
  // strongly negative
  "abuse*": -3, "abysmal": -4, "appalling": -4, "atrocious": -4, "awful": -3, "betray*": -3, "bribe*": -4,
  "catastroph*": -4, "cheat*": -3, "collapse*": -2, "coverup": -3, "cover-up": -3, "criminal*": -3, "crook*": -3,
  "corrupt*": -4, "cruel": -3, "dangerous": -2, "despicable": -4, "disaster*": -3, "disgrace*": -4, "disgust*": -3,
  "dishonest": -3, "embezzl*": -4, "evil": -3, "extort*": -4, "fraud*": -4, "hate": -3, "hated": -3, "hates": -3,
  "hateful": -3, "horrible": -3, "horrific": -4, "hypocrisy": -3, "hypocrite*": -3, "illegal*": -3, "impeach*": -3,
  "incompetent": -3, "indict*": -3, "liar*": -4, "lie": -3, "lied": -3, "lies": -3, "lying": -3, "nightmare": -3,
  "outrage*": -3, "pathetic": -3, "racist*": -4, "resign": -2, "resigns": -2, "resignation": -2, "scam*": -4,
  "scandal*": -4, "shame*": -3, "shameful": -3, "sickening": -3, "terrible": -3, "traitor*": -4, "treason": -4,
  "vile": -4, "worst": -3, "disastrous": -4, "fiasco": -3, "deceit*": -3, "deceiv*": -3, "mislead*": -3,
  "misconduct": -3, "harass*": -3, "assault*": -3, "arrest*": -2, "charged": -2, "guilty": -3, "sleaze*": -3,
  "kickback*": -4, "cronyism": -3, "rigged": -3, "sham": -3, "toxic": -3, "unfit": -3, "furious": -3,
  // negative
  "angry": -2, "anger": -2, "attack*": -2, "bad": -2, "blame*": -2, "boring": -1, "broken": -2, "chaos": -2,
  "concern*": -1, "confus*": -1, "crisis": -3, "critic*": -1, "damag*": -2, "debt": -1, "decline*": -1,
  "deficit": -1, "denied": -1, "denies": -1, "deny": -1, "disappoint*": -2, "divisive": -2, "doubt*": -1,
  "drop*": -1, "fail*": -2, "fake": -2, "fear*": -2, "fired": -2, "flop*": -2, "gaffe*": -2, "greed*": -2,
  "hurt*": -2, "ignor*": -1, "investigat*": -2, "leak": -2, "leaked": -2, "leaks": -2, "lose": -2, "loser*": -2,
  "losing": -2, "loss": -2, "lost": -1, "mess": -2, "mistake*": -2, "negative": -2, "oppos*": -1, "poor": -2,
  "problem*": -1, "protest*": -1, "question*": -1, "reckless": -2, "refus*": -1, "reject*": -2, "sad": -2,
  "slam*": -2, "struggl*": -1, "subpoena*": -2, "suspicious": -2, "threat*": -2, "troubl*": -2, "ugly": -2,
  "unacceptable": -2, "unfair": -2, "unpopular": -2, "upset*": -2, "waste*": -2, "weak": -2, "wrong": -2,
  "backlash": -2, "boycott*": -2, "controvers*": -2, "dodg*": -2, "evade*": -2, "flip-flop*": -2, "lawsuit*": -2,
  "misinformation": -2, "pander*": -2, "probe": -2, "secret*": -1, "stumbl*": -1, "unemploy*": -1, "worse": -2,
  "worried": -2, "worry": -2, "yikes": -2, "ridiculous": -2, "annoy*": -2, "mock*": -2, "joke": -1, "clueless": -2,
  // positive
  "admire*": 2, "agree*": 1, "applaud*": 2, "approv*": 2, "benefit*": 2, "better": 2, "bold": 1, "bright": 1,
  "care": 1, "cares": 1, "caring": 2, "celebrat*": 2, "champion*": 2, "clean": 1, "commit*": 1, "compassion*": 2,
  "confident": 2, "congrat*": 2, "courage*": 2, "creat*": 1, "deliver*": 1, "endors*": 2, "energ*": 1, "excit*": 2,
  "fair": 1, "fresh": 1, "good": 2, "grassroots": 1, "grateful": 2, "great": 3, "happy": 2,
  "help*": 1, "honest*": 2, "hope*": 2, "impress*": 2, "improv*": 2, "inspir*": 3, "integrity": 2, "lead": 1,
  "leader*": 1, "like": 1, "likes": 1, "love": 3, "loved": 3, "loves": 3, "lovely": 3, "positive": 2, "progress*": 2,
  "promis*": 1, "protect*": 1, "proud": 2, "rally": 1, "recover*": 1, "respect*": 2, "smart": 2, "solid": 2,
  "strong*": 2, "success*": 2, "support*": 2, "thank*": 2, "transparen*": 2, "trust*": 2, "unite*": 2, "victory": 3,
  "welcome*": 2, "win": 3, "wins": 3, "winning": 3, "won": 3, "wonderful": 3, "hero*": 3,
  // strongly positive
  "amazing": 4, "awesome": 4, "brilliant": 4, "excellent": 4, "fantastic": 4, "incredible": 3, "landslide": 3,
  "outstanding": 4, "perfect": 3, "superb": 4, "triumph*": 4, "visionary": 3, "exceptional": 4, "historic": 2,
  // emoticons and emoji
  ":)": 2, ":-)": 2, ":(": -2, ":-(": -2, "👍": 2, "👏": 2, "❤️": 3, "❤": 3, "🎉": 3, "🔥": 1, "😡": -3,
  "🤬": -4, "👎": -2, "😠": -3, "🤮": -4, "😢": -2, "💩": -3, "🙏": 1, "😂": 0,
};

/** Words that turn the sentiment of the next few words around ("not good", "never honest"). */
export const NEGATIONS = new Set([
  "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "hardly", "barely", "cannot",
  "cant", "can't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't",
  "arent", "aren't", "werent", "weren't", "wont", "won't", "wouldnt", "wouldn't", "shouldnt", "shouldn't",
  "aint", "ain't", "havent", "haven't", "hasnt", "hasn't",
]);

/** Words that make the next sentiment word stronger (>1) or weaker (<1). */
export const INTENSIFIERS: Record<string, number> = {
  "very": 1.3, "really": 1.3, "so": 1.2, "extremely": 1.5, "incredibly": 1.5, "absolutely": 1.4, "totally": 1.3,
  "completely": 1.3, "utterly": 1.5, "deeply": 1.3, "truly": 1.2, "most": 1.2, "super": 1.3, "huge": 1.2,
  "slightly": 0.6, "somewhat": 0.7, "kinda": 0.7, "barely": 0.6, "little": 0.8, "mildly": 0.6,
};
