"""Phrase banks of the offline script writer.

Each entry is `"spoken sentence|short on-screen text"`. `{topic}` is the
viewer's topic as typed (lower-cased unless it holds capitals), `{Topic}` the
same with a capital first letter. Sentences are written to read well with any
noun phrase or "how to ..." topic, and never state numbers or facts we cannot
know: statistic hooks frame a number for the viewer to think about instead of
inventing one.
"""

from __future__ import annotations

from synthora.templates.config import CtaType, HookStyle, NarrativeStructure

Bank = tuple[str, ...]

HOOKS: dict[HookStyle, Bank] = {
    HookStyle.QUESTION: (
        "What if everything you know about {topic} is only half the story?|Only half the story?",
        "Why do so many people struggle with {topic} when it doesn't have to be hard?|Why so hard?",
        "Ever wondered what actually makes {topic} work?|What makes it work?",
        "Are you making the most common mistake with {topic}?|The common mistake?",
    ),
    HookStyle.BOLD_CLAIM: (
        "The truth about {topic}: it's simpler than anyone told you.|Simpler than you think",
        "Most advice about {topic} gets it backwards.|Most advice is backwards",
        "You can get better at {topic} starting today.|Better, starting today",
        "This changes how you see {topic}.|This changes everything",
    ),
    HookStyle.STATISTIC: (
        "Count how many minutes you gave {topic} last week. That number says a lot.|"
        "Count the minutes",
        "Put a number on {topic} in your life, and the picture changes fast.|Put a number on it",
        "One small change in {topic}, repeated every day, adds up to a big difference.|"
        "Small change, big difference",
        "Measure {topic} for one week and the results will surprise you.|Measure it for a week",
    ),
    HookStyle.STORY_OPENER: (
        "It started on an ordinary morning, with {topic} and a question nobody could answer.|"
        "It started on a morning",
        "Nobody expected {topic} to change everything, least of all me.|Nobody expected this",
        "The first time I faced {topic}, I got it completely wrong.|I got it wrong",
        "Picture this: you, {topic}, and one decision that changes the day.|Picture this",
    ),
    HookStyle.CHALLENGE: (
        "I dare you to try this {topic} challenge without smiling.|Try not to smile",
        "Think you know {topic}? Prove it in the next few seconds.|Prove it",
        "Here's a {topic} challenge you can start right now.|Start right now",
        "Bet you can't do this {topic} challenge on the first try.|First try?",
    ),
    HookStyle.CONTROVERSY: (
        "Unpopular opinion: we've been doing {topic} all wrong.|Unpopular opinion",
        "Everyone loves {topic}, but hardly anyone talks about the downside.|The downside",
        "The popular take on {topic} deserves a second look.|A second look",
    ),
    HookStyle.PROMISE: (
        "Give me one minute and {topic} will make a lot more sense.|This will click",
        "Imagine if {topic} simply worked, every single time.|It simply works",
        "Meet {topic}, done the way you always hoped.|The way you hoped",
        "Here's everything you'll love about {topic}.|Everything you'll love",
    ),
}

#: Sentences that may follow the hook in the first scene, by structure.
OPENING_SUPPORT: dict[NarrativeStructure, Bank] = {
    NarrativeStructure.PROBLEM_SOLUTION: (
        "Here's what you need to know.|",
        "Let's break it down.|",
        "The good news: there's a fix.|",
    ),
    NarrativeStructure.LISTICLE: (
        "Here's what actually works.|",
        "Stick around, because the last one matters most.|",
        "Save this one for later.|",
    ),
    NarrativeStructure.STORY_ARC: (
        "Let me tell you how it happened.|",
        "This is how it went.|",
        "I still remember how it began.|",
    ),
    NarrativeStructure.HOW_TO: (
        "Here's how to do it, step by step.|",
        "It's easier than it sounds.|",
        "You only need a few minutes.|",
    ),
    NarrativeStructure.COMPARISON: (
        "Let's put both ways side by side.|",
        "There are two ways to go about it.|",
    ),
    NarrativeStructure.DEMO: (
        "Let me show you.|",
        "Take a closer look.|",
        "Here's why it stands out.|",
    ),
    NarrativeStructure.CHALLENGE_STEPS: (
        "Here's how it works.|",
        "Ready? Let's go.|",
    ),
}

# Roles a narrative structure walks through between the hook and the close.
STRUCTURE_ROLES: dict[NarrativeStructure, tuple[str, ...]] = {
    NarrativeStructure.PROBLEM_SOLUTION: ("problem", "cause", "solution", "proof"),
    NarrativeStructure.LISTICLE: ("tip",),
    NarrativeStructure.STORY_ARC: ("setting", "tension", "turn", "resolution"),
    NarrativeStructure.HOW_TO: ("step",),
    NarrativeStructure.COMPARISON: ("option_a", "option_b", "difference", "verdict"),
    NarrativeStructure.DEMO: ("feature",),
    NarrativeStructure.CHALLENGE_STEPS: ("rule", "move"),
}

_NUMBERS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)

#: Roles whose entries are steps in order: picked in bank order, never shuffled.
ORDERED_ROLES: frozenset[str] = frozenset({"step"})

#: Spoken before the first sentence of the n-th scene of a repeated role.
ORDINALS: dict[str, Bank] = {
    "tip": ("First,", "Next,", "Another one:", "Then,", "Also,", "And,", "Plus,", "One more:"),
    "step": tuple(f"Step {n}:" for n in _NUMBERS),
    "move": ("First move:", "Then:", "Next:", "Now:", "After that:", "Then:"),
}

ROLES: dict[str, Bank] = {
    "problem": (
        "Here's the problem: most people start {topic} without a plan.|No plan, no progress",
        "With {topic}, the hardest part is knowing where to begin.|Where to begin?",
        "It's easy to feel stuck with {topic}, even after trying hard.|Feeling stuck",
        "The usual approach to {topic} wastes time and energy.|Wasted effort",
        "+And the results rarely match the effort you put in.|",
    ),
    "cause": (
        "The reason is simple: we try to do everything at once.|Too much at once",
        "Most of the confusion comes from advice that skips the basics.|Basics get skipped",
        "It happens because small habits matter more than big bursts.|Habits beat bursts",
        "Underneath it all, success with {topic} depends on a few key ideas.|A few key ideas",
        "+Once you see that, the rest starts to make sense.|",
    ),
    "solution": (
        "The fix: focus on one part of {topic} at a time.|One thing at a time",
        "Start small, stay consistent, and build from there.|Start small",
        "Set a clear goal for {topic} and check it every week.|Set a clear goal",
        "Keep a simple routine, and let the results stack up.|Keep it simple",
        "Learn from people who are already good at {topic}.|Learn from the best",
        "Write down what works, and drop what doesn't.|Keep what works",
    ),
    "proof": (
        "Do this for a few weeks and you'll feel the difference.|Feel the difference",
        "That's how you turn {topic} from a chore into a habit.|From chore to habit",
        "Small, steady steps beat one big push every time.|Steady beats big",
        "You'll notice it first in how much easier it feels.|It gets easier",
    ),
    "tip": (
        "start with the basics of {topic} before anything fancy.|Basics first",
        "give {topic} ten focused minutes a day.|Ten minutes a day",
        "learn from people who are already good at {topic}.|Learn from the best",
        "keep notes, so you can see what actually works.|Keep notes",
        "cut one thing that makes {topic} harder than it needs to be.|Cut the friction",
        "share your progress, because accountability keeps you going.|Share your progress",
        "don't chase perfect; chase consistent.|Consistent beats perfect",
        "review what you did each week and adjust.|Review weekly",
    ),
    "setting": (
        "At first, I barely thought about {topic}.|Barely a thought",
        "Everything seemed normal, and nobody was paying attention.|Everything seemed normal",
        "Back then, {topic} looked like the easy part.|The easy part",
        "It was quiet, and that should have been the first clue.|The first clue",
    ),
    "tension": (
        "Then something went wrong, and it went wrong fast.|Then it went wrong",
        "The harder I pushed, the further away the answer seemed.|Further away",
        "Doubt crept in, and quitting started to look tempting.|Doubt crept in",
        "Every shortcut made {topic} a little more complicated.|Every shortcut failed",
        "+It felt like the whole thing might fall apart.|Falling apart",
    ),
    "turn": (
        "And then, one small change turned everything around.|One small change",
        "That's when I saw {topic} from a completely different angle.|A different angle",
        "+The answer had been there the whole time.|There all along",
        "Someone asked a simple question, and it changed the plan.|A simple question",
    ),
    "resolution": (
        "Slowly, {topic} started to fall into place.|Falling into place",
        "What felt impossible became part of every day.|Now it's every day",
        "The pieces fit, and the pressure finally lifted.|The pressure lifted",
        "+Looking back, the struggle was the best part.|Worth the struggle",
    ),
    "option_a": (
        "On one side, there's the classic approach to {topic}.|The classic way",
        "First, there's the way most people already do {topic}.|The usual way",
        "+It's familiar, and it's reliable.|Familiar and reliable",
        "+It's proven, but it can feel slow.|Proven but slow",
    ),
    "option_b": (
        "On the other, there's a newer, lighter approach.|The newer way",
        "On the other side, there's a more flexible way to do it.|The flexible way",
        "+It's quicker to start and easier to keep up.|Quicker to start",
        "+It asks for less up front, but more consistency.|Less up front",
    ),
    "difference": (
        "The real difference is how each one fits your day.|How it fits your day",
        "One rewards patience; the other rewards momentum.|Patience vs momentum",
        "What matters most is which one you'll actually stick with.|What you'll stick with",
    ),
    "verdict": (
        "My take: start with whichever one removes the most friction.|Remove friction",
        "For most people, mixing both works best.|Mix both",
        "Try each for a week, then keep the winner.|Test, then decide",
    ),
    "step": (
        "decide what you want from {topic}.|Decide your goal",
        "gather what you need before you start.|Gather what you need",
        "start with the simplest version of {topic}.|Start simple",
        "do it once, slowly, and notice what feels awkward.|Go slow",
        "fix the awkward part and try again.|Fix and repeat",
        "make it a routine by tying it to something you already do.|Make it routine",
        "check your progress at the end of the week.|Check progress",
        "once it feels easy, raise the bar a little.|Raise the bar",
    ),
    "feature": (
        "It's designed around how you actually live.|Designed for real life",
        "Every detail of {topic} feels considered.|Every detail considered",
        "Set up takes moments, not hours.|Ready in moments",
        "It looks as good as it works.|Looks as good as it works",
        "It fits right into your day, wherever you are.|Fits your day",
        "+And it only gets better the more you use it.|Better with time",
        "The little things are where {topic} really shines.|Where it shines",
        "It's built to last, not just to impress.|Built to last",
        "Everything you need is right where you expect it.|Right where you need it",
        "It makes the everyday feel a little more special.|Everyday, elevated",
    ),
    "rule": (
        "Here's the rule: you've got one take to get it right.|One take only",
        "The rules are simple: keep it fun and keep it real.|Keep it fun",
        "No practice runs, no edits, just you and {topic}.|No edits",
    ),
    "move": (
        "show us your best take on {topic} in a single shot.|One shot",
        "add your own twist, the wilder the better.|Add your twist",
        "finish with a pose that says you nailed it.|Nail the finish",
        "pass it on to the next person.|Pass it on",
        "keep it under ten seconds.|Under ten seconds",
    ),
}

#: Extra sentences for a scene with room left, by structure.
SUPPORT: dict[NarrativeStructure, Bank] = {
    NarrativeStructure.PROBLEM_SOLUTION: (
        "It sounds small, but it makes a real difference.|",
        "This is the part most people skip.|",
        "Give it a fair try before you judge it.|",
    ),
    NarrativeStructure.LISTICLE: (
        "It sounds small, but it makes a real difference.|",
        "This is the one most people skip.|",
        "Keep it simple, and keep going.|",
    ),
    NarrativeStructure.STORY_ARC: (
        "I didn't see it at the time.|",
        "Nothing about it was easy.|",
        "That moment stayed with me.|",
    ),
    NarrativeStructure.HOW_TO: (
        "Take your time with this one.|",
        "Don't skip it, even if it feels obvious.|",
        "Keep it simple.|",
    ),
    NarrativeStructure.COMPARISON: (
        "It depends on what you need most.|",
        "There's no single right answer.|",
    ),
    NarrativeStructure.DEMO: (
        "You'll notice it right away.|",
        "It just feels right.|",
        "Simple, and beautifully done.|",
    ),
    NarrativeStructure.CHALLENGE_STEPS: (
        "Keep it fun.|",
        "No overthinking.|",
    ),
}

CLOSINGS: dict[NarrativeStructure, Bank] = {
    NarrativeStructure.PROBLEM_SOLUTION: (
        "So remember: fix the basics of {topic} first, and the rest follows.|Basics first",
        "That's {topic}, solved one step at a time.|One step at a time",
    ),
    NarrativeStructure.LISTICLE: (
        "Try one of these today and see what changes.|Try one today",
        "Those are the ones that make {topic} easier.|Make it easier",
    ),
    NarrativeStructure.STORY_ARC: (
        "And that's what {topic} taught me: the hard part is where you grow.|Where you grow",
        "Sometimes the detour is the story.|The detour is the story",
    ),
    NarrativeStructure.HOW_TO: (
        "That's it: {topic}, done the simple way.|Done the simple way",
        "Follow those steps and you'll find {topic} easier every time.|Easier every time",
    ),
    NarrativeStructure.COMPARISON: (
        "Either way, the best choice is the one you'll keep doing.|The one you'll keep doing",
        "Pick your side of {topic} and give it a real try.|Pick your side",
    ),
    NarrativeStructure.DEMO: (
        "That's {topic}, made for the way you live.|Made for you",
        "See it once and you'll wonder how you managed without it.|You'll wonder why you waited",
    ),
    NarrativeStructure.CHALLENGE_STEPS: (
        "That's the challenge. Your turn.|Your turn",
        "Now it's your move.|Your move",
    ),
}

CTAS: dict[CtaType, Bank] = {
    CtaType.FOLLOW: (
        "Follow for more on {topic}.|Follow for more",
        "Follow so you don't miss the next one.|Follow for part two",
    ),
    CtaType.LIKE: (
        "If this helped, give it a like.|Like if this helped",
        "Tap like if you learned something new.|Tap like",
    ),
    CtaType.COMMENT: (
        "Tell me in the comments: what's your take on {topic}?|What's your take?",
        "Drop your own story in the comments.|Share your story",
    ),
    CtaType.SHARE: (
        "Share this with someone who needs it.|Share it",
        "Send this to a friend who loves {topic}.|Send to a friend",
    ),
    CtaType.SUBSCRIBE: (
        "Subscribe for more clear explanations like this.|Subscribe for more",
        "Subscribe, and I'll see you in the next one.|Subscribe",
    ),
    CtaType.VISIT_LINK: (
        "Tap the link to see more.|Link in bio",
        "Find out more at the link in the description.|See the link",
    ),
    CtaType.SHOP: (
        "Tap the link to get yours today.|Get yours",
        "Shop now through the link.|Shop now",
    ),
    CtaType.TRY_IT: (
        "Try it, tag a friend, and use the hashtag.|Try it and tag a friend",
        "Try it, then show me how it went.|Show me yours",
    ),
    CtaType.NONE: ("",),
}

TITLES: dict[NarrativeStructure, Bank] = {
    NarrativeStructure.PROBLEM_SOLUTION: (
        "{Topic}: the problem and the fix",
        "The real fix for {topic}",
    ),
    NarrativeStructure.LISTICLE: ("{Topic}: tips that actually work", "Better {topic}, fast"),
    NarrativeStructure.STORY_ARC: ("A story about {topic}", "What {topic} taught me"),
    NarrativeStructure.HOW_TO: ("{Topic}, step by step", "A simple guide to {topic}"),
    NarrativeStructure.COMPARISON: ("{Topic}: which way wins?", "Two ways to do {topic}"),
    NarrativeStructure.DEMO: ("Meet {topic}", "{Topic}, up close"),
    NarrativeStructure.CHALLENGE_STEPS: (
        "The {topic} challenge",
        "Can you do the {topic} challenge?",
    ),
}

DESCRIPTIONS: dict[NarrativeStructure, str] = {
    NarrativeStructure.PROBLEM_SOLUTION: "Why {topic} can feel hard, and the simple fix.",
    NarrativeStructure.LISTICLE: "Quick, practical tips on {topic}.",
    NarrativeStructure.STORY_ARC: "A short story about {topic}, and what it taught me.",
    NarrativeStructure.HOW_TO: "{Topic}, one step at a time.",
    NarrativeStructure.COMPARISON: "Two approaches to {topic}, side by side.",
    NarrativeStructure.DEMO: "A closer look at {topic}.",
    NarrativeStructure.CHALLENGE_STEPS: "The {topic} challenge: watch, then try it yourself.",
}

#: Tone words a user may write in their instructions, and a line in that tone.
TONE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "funny": ("funny", "humor", "humour", "humorous", "playful", "joke", "witty", "lighthearted"),
    "serious": ("serious", "formal", "professional", "sober"),
    "inspiring": ("inspiring", "inspirational", "motivational", "uplifting", "motivating"),
    "calm": ("calm", "relaxed", "gentle", "soothing", "chill"),
    "urgent": ("urgent", "hype", "hyped", "energetic", "exciting", "excited"),
    "casual": ("casual", "friendly", "conversational", "informal"),
}

TONE_LINES: dict[str, Bank] = {
    "funny": (
        "And no, you don't need a lab coat for this.|",
        "Your future self will send a thank-you card.|",
        "Yes, even on a Monday.|",
    ),
    "serious": (
        "This matters more than it first appears.|",
        "Take this part seriously; it carries the rest.|",
    ),
    "inspiring": (
        "You're more capable than you think.|",
        "Every expert started exactly where you are.|",
    ),
    "calm": (
        "Take a breath; there's no rush.|",
        "Go at your own pace.|",
    ),
    "urgent": (
        "Don't wait on this one.|",
        "Start today, not someday.|",
    ),
    "casual": (
        "Honestly, it's easier than it looks.|",
        "No pressure, just try it.|",
    ),
}

_STOP_TEXT = """
a about above after again against all almost also am an and any are around as at be
because been before being below between both but by can could did do does doing done
don't down during each either else even ever every few for from further get gets
getting give go goes going got had has have having he her here hers herself him
himself his how i if in into is it it's its itself just keep know least less let
let's like made make makes many may me might more most much must my myself need
never next no nor not now of off often on once one only or other our ours ourselves
out over own part really right same see she should simply since so some still such
sure take than that that's the their theirs them themselves then there these they
thing things this those through to too try under until up us very want was way ways
we well were what when where which while who whom why will with without would yes
yet you you'll you're your yours yourself yourselves actually already always another
anyone anything back best better big day days first here's last little long lot new
old real small start time times today use used using what's where's who's won't
can't didn't doesn't isn't aren't wasn't
"""

#: Words too common to search footage for or to emphasise.
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())

#: Word endings that are usually verbs or adverbs, not something to search footage for.
NON_NOUN_SUFFIXES: tuple[str, ...] = ("ly", "ing", "ed", "n't")
