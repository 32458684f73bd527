// English campaign vocabulary that VADER's lexicon lacks, on its scale (-4 very negative … +4 very
// positive): the language of political conversation (scandal talk, attack lines, praise). Used
// only for words VADER does not know (english.ts); a trailing "*" matches any ending ("corrupt*":
// corrupt, corruption). Issue words are not here: "rally", "investigation", "lead" describe
// events as often as they judge them.
export const EN_CAMPAIGN_LEXICON: Record<string, number> = {
  // strongly negative
  "abysmal": -3.5, "atrocious": -3.5, "catastroph*": -3, "coverup": -3, "cover-up": -3, "crook*": -2.8, "corrupt*": -3,
  "despicable": -3.5, "disgraceful": -2.8, "embezzl*": -3.5, "extort*": -3.5, "hypocrisy": -2.5, "hypocrite*": -2.5, "lie": -2.5,
  "nightmare": -2.8, "traitor*": -3.5, "deceiv*": -2.5, "mislead*": -2.5, "misconduct": -2.5, "sleaz*": -2.5, "kickback*": -3,
  "cronyism": -2.5, "sham": -2.5, "toxic": -2.5, "unfit": -2.2, "grifter*": -2.6, "grift": -2.4, "gaslight*": -2.3,
  "fearmonger*": -2.5, "spineless": -2.5, "scammy": -2.2, "garbage": -2.5, "inept": -2.3, "dishonest": -2.6,
  // negative
  "divisive": -2, "gaffe*": -2, "troubl*": -2, "unpopular": -1.8, "backlash": -2, "dodg*": -1.8, "evade*": -2,
  "flip-flop*": -1.8, "pander*": -2, "yikes": -2, "clown*": -2, "unprepared": -1.6, "pretend*": -1.5, "offend*": -1.8,
  "shady": -2, "creepy": -2, "cringe*": -2, "unelectable": -2, "out-of-touch": -1.8, "mid": -1.5, "deafening": -0.5,
  "fantasy": -1, "embarrassment": -2,
  // positive
  "approv*": 1.8, "celebrat*": 2, "congrat*": 2.2, "endors*": 1.5, "excit*": 2, "improv*": 1.8, "inspir*": 2.5,
  "transparen*": 1.8, "unite*": 1.8, "victory": 2.8, "landslide": 2.5, "exceptional": 3, "kindest": 2.5, "sharp": 1.2,
  "chills": 1, "overdue": 0.5, "informative": 1.5, "believable": 1, "goat": 1.5,
};
