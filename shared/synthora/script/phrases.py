"""Phrase banks of the offline script writer.

Each entry is `"spoken sentence|short on-screen text"` (on-screen text at most
six words). Entries are grouped into one *kit* per topic family
(`synthora.script.topic.Family`): an explanation gets cause, mechanism and a
surprising detail; a skill gets tips and steps; a product gets benefits; a
story gets an arc; a challenge gets rules and moves; a comparison gets two
sides and a verdict. Inside a kit, hooks are chosen by hook style and the
scene roles by narrative structure.

Placeholders come from the topic analysis: `{topic}` is the topic in the form
that reads naturally mid-sentence ("why cats purr", "saving money", "the 10
second plank challenge"); explanations add `{clause}`, `{question}`,
`{subject}` and sometimes `{statement}`; products add `{thing}`, `{things}`,
`{this}` and agreement helpers (`{it}`, `{them}`, `{its}`, `{it_s}`, `{is}`,
`{s}`, `{es}`: "it fits" / "they fit"); challenges add `{challenge}` (the
name without "challenge"); comparisons `{a}` and `{b}`. A capital first letter
(`{Topic}`, `{Question}`, `{It_s}`) capitalises the value. An entry whose
placeholders the topic cannot fill is skipped.

Sentences never state numbers or facts we cannot know: statistic-style hooks
frame something for the viewer to count or notice instead of inventing a
figure, and explanations stay honest and general ("one leading explanation",
"researchers still debate the details").
"""

from __future__ import annotations

from dataclasses import dataclass

from synthora.templates.config import CtaType, HookStyle, NarrativeStructure

Bank = tuple[str, ...]
N = NarrativeStructure
H = HookStyle

#: Key of the fallback entry in the per-structure maps of a kit.
DEFAULT = "*"


@dataclass(frozen=True)
class Kit:
    """Everything one topic family says, by hook style and narrative structure."""

    hooks: dict[HookStyle, Bank]
    #: Roles of the middle scenes, by structure (DEFAULT for the rest).
    roles: dict[object, tuple[str, ...]]
    openings: dict[object, Bank]
    support: dict[object, Bank]
    closings: dict[object, Bank]
    titles: dict[object, Bank]
    descriptions: dict[object, Bank]
    #: What a "follow for more" line promises.
    more: str = "more like this"


def by_structure(mapping: dict[object, tuple[str, ...]], structure: object) -> tuple[str, ...]:
    """The entry for `structure`, or the kit's default."""
    return mapping.get(structure, mapping[DEFAULT])


# --------------------------------------------------------------------------- roles

#: Roles whose entries are steps in order: picked in bank order, never shuffled.
ORDERED_ROLES: frozenset[str] = frozenset(
    {"step", "thing_step", "move", "thing_before", "thing_turn", "thing_after"}
)
#: Story beats may take a second lead line; other roles add only follow-ups ("+").
STORY_ROLES: frozenset[str] = frozenset(
    {
        "setting",
        "tension",
        "turn",
        "resolution",
        "journey_setting",
        "journey_tension",
        "journey_turn",
        "journey_resolution",
        "discover_setting",
        "discover_tension",
        "discover_turn",
        "discover_resolution",
    }
)
#: Roles whose on-screen text is numbered ("1. ...").
NUMBERED_ROLES: frozenset[str] = frozenset({"step", "thing_step"})

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
_STEPS = tuple(f"Step {n}:" for n in _NUMBERS)
_LIST = ("First,", "Next,", "Another one:", "Then,", "Also,", "And,", "Plus,", "One more:")

#: Spoken before the first sentence of the n-th scene of a repeated role.
ORDINALS: dict[str, Bank] = {
    "tip": _LIST,
    "topic_point": _LIST,
    "explain_fact": _LIST,
    "thing_reason": _LIST,
    "challenge_tip": _LIST,
    "lesson": ("First lesson:", "Next:", "Another lesson:", "Then:", "Also:", "One more:"),
    "quiz_clue": ("First clue:", "Next clue:", "Another clue:", "One more clue:", "Last hint:"),
    "step": _STEPS,
    "thing_step": _STEPS,
    "move": ("First move:", "Then:", "Next:", "Now:", "After that:", "Then:"),
}

ROLES: dict[str, Bank] = {
    # ---- skills (how to X, learning X, X tips) ---------------------------
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
        "Underneath it all, {topic} depends on a few key habits.|A few key habits",
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
        "give {topic} a few focused minutes every day.|A few minutes daily",
        "learn from people who are already good at {topic}.|Learn from the best",
        "keep notes, so you can see what actually works.|Keep notes",
        "remove one thing that gets in the way of {topic}.|Cut the friction",
        "share your progress, because accountability keeps you going.|Share your progress",
        "don't chase perfect; chase consistent.|Consistent beats perfect",
        "review what you did each week and adjust.|Review weekly",
    ),
    "step": (
        "decide what you want from {topic}.|Decide your goal",
        "gather what you need before you start.|Gather what you need",
        "start with the simplest version of {topic}.|Start simple",
        "do it once, slowly, and notice what feels awkward.|Go slow",
        "fix the awkward part and try again.|Fix and repeat",
        "ask someone a little further along to look at what you did.|Get a second opinion",
        "make it a routine by tying it to something you already do.|Make it routine",
        "write down what worked and what didn't.|Write it down",
        "check your progress at the end of the week.|Check progress",
        "once it feels easy, raise the bar a little.|Raise the bar",
        "share what you've done, and keep going.|Share it, keep going",
    ),
    "journey_setting": (
        "At first, I barely thought about {topic}.|Barely a thought",
        "Back then, {topic} looked like the easy part.|The easy part",
        "I went into {topic} thinking I already knew enough.|I thought I knew enough",
        "Everyone around me made {topic} look effortless.|They made it look easy",
    ),
    "journey_tension": (
        "Then it got hard, and it got hard fast.|Then it got hard",
        "The harder I pushed, the further away progress seemed.|Further away",
        "Doubt crept in, and quitting started to look tempting.|Doubt crept in",
        "Every shortcut made {topic} a little more complicated.|Every shortcut failed",
        "+It felt like the whole thing might fall apart.|Falling apart",
    ),
    "journey_turn": (
        "And then, one small change turned everything around.|One small change",
        "That's when I saw {topic} from a completely different angle.|A different angle",
        "+The answer had been there the whole time.|There all along",
        "Someone asked me a simple question, and it changed my plan.|A simple question",
    ),
    "journey_resolution": (
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
        "For most people, a bit of both works best.|A bit of both",
        "Try each for a week, then keep the winner.|Test, then decide",
    ),
    # ---- explanations (why X, how X works, what is X) --------------------
    "explain_myth": (
        "Most people assume there's one simple answer to {clause}.|Not that simple",
        "It looks simple from the outside, which is exactly why it's easy to get wrong.|"
        "Easy to get wrong",
        "You've probably heard a quick answer to {clause}, but it skips the good part.|"
        "The quick answer skips a lot",
        "+The real story has a few more moving parts.|",
        "+And that's where it gets interesting.|",
    ),
    "explain_cause": (
        "To understand {clause}, start with what's happening underneath.|Start underneath",
        "One leading explanation starts with something most people never notice.|"
        "One leading explanation",
        "It isn't one single cause; it's several things working together.|Several things at once",
        "+Scientists who study it describe a chain of small steps.|",
        "+Each step quietly sets up the next.|",
    ),
    "explain_mechanism": (
        "Here's what's actually happening when {statement}: one small change sets off the "
        "next.|What's actually happening",
        "Step by step, one thing triggers the next, and the result is what you notice.|"
        "One thing triggers the next",
        "The key is timing: the pieces have to line up in the right order.|Timing is everything",
        "+Each part on its own is simple; together they explain {clause}.|",
        "+Take one piece away, and the whole thing works differently.|",
    ),
    "explain_detail": (
        "Here's the surprising part: researchers are still debating some of the details.|"
        "Still being debated",
        "The surprising part is how much of it happens where you can't see it.|Hidden from view",
        "The strangest detail is how ordinary it all looks from the outside.|"
        "Ordinary on the outside",
        "+Which is why the one-line answer never quite satisfies.|",
        "+And that's what makes it worth a closer look.|",
    ),
    "explain_fact": (
        "the quick answer to {clause} is only the start.|Only the start",
        "it's not one cause but several, working together.|Several causes",
        "most of it happens where you can't see it.|Out of sight",
        "researchers still debate some of the details.|Still debated",
        "once you know the answer, you start noticing it everywhere.|You'll notice it everywhere",
        "the simplest explanation isn't always the full one.|Simple isn't complete",
        "the timing matters as much as the cause.|Timing matters",
    ),
    "quiz_rule": (
        "Here's the game: guess the answer before I reveal it.|Guess first",
        "The rules: no searching, just your best guess.|No searching allowed",
        "Lock in your answer now, before the clues.|Lock in your answer",
    ),
    "quiz_clue": (
        "the obvious answer is only half of it.|Only half of it",
        "think about what's happening underneath, not on the surface.|Look underneath",
        "it's simpler than the myth, but stranger than you'd guess.|Simple, but strange",
        "it's happening even when you can't see it.|Even when unseen",
    ),
    # ---- products and things ---------------------------------------------
    "feature": (
        "{It_s} designed around how you actually live.|Designed for real life",
        "Every detail of {this} feels considered.|Every detail considered",
        "Setting {them} up takes moments, not hours.|Ready in moments",
        "{It} look{s} as good as {it} work{s}.|Looks as good as it works",
        "{It} fit{s} right into your day, wherever you are.|Fits your day",
        "+And {it} only get{s} better the more you use {them}.|Better with time",
        "The little things are where {this} really shine{s}.|Where it shines",
        "{It_s} built to last, not just to impress.|Built to last",
        "Everything you need is right where you expect it.|Right where you need it",
        "{It} make{s} the everyday feel a little more special.|Everyday, elevated",
    ),
    "thing_reason": (
        "{it} save{s} you time and hassle every single day.|Saves time",
        "{it_s} simple enough to use without thinking.|Simple to use",
        "{it} look{s} as good as {it} work{s}.|Looks good, works better",
        "{it_s} built to last, not to be replaced.|Built to last",
        "{it} fit{s} the way you already live.|Fits your life",
        "the small details add up to a big difference.|Details add up",
        "you'll actually enjoy using {them}.|You'll enjoy it",
    ),
    "thing_problem": (
        "Most {things} do the job, until the day they don't.|Until they don't",
        "The problem with most {things}: they're built for the shelf, not for your life.|"
        "Built for the shelf",
        "Putting up with a bad fit costs you a little every single day.|A little every day",
        "+And you only notice how much once it's fixed.|",
    ),
    "thing_fix": (
        "That's where {this} come{s} in.|Enter the fix",
        "{It_s} made for real days, not perfect ones.|Made for real days",
        "{this} take{s} the friction out of the everyday.|Less friction",
    ),
    "thing_before": (
        "My old {thing} seemed fine at first.|Fine at first",
        "I kept telling myself I didn't need an upgrade.|I didn't need an upgrade",
        "For a long time, I just put up with the little annoyances.|The little annoyances",
    ),
    "thing_turn": (
        "Then I tried {this}, and the difference was obvious.|The difference was obvious",
        "Suddenly, the little annoyances were just gone.|The annoyances were gone",
        "+I didn't expect it to matter this much.|",
    ),
    "thing_after": (
        "Now {it_s} part of every single day.|Part of every day",
        "Now I can't imagine going back.|No going back",
        "+It's the small upgrade I didn't know I needed.|",
    ),
    "thing_step": (
        "pick the one that fits how you'll actually use {them}.|Pick the right one",
        "set {them} up once, the way you like.|Set it up once",
        "make {them} part of your daily routine.|Make it routine",
        "look after {them}, and {it} will last.|Look after it",
    ),
    # ---- stories (the night ..., my first ...) ---------------------------
    "setting": (
        "It began like any other day.|Like any other day",
        "Everything seemed normal, and nobody was paying attention.|Everything seemed normal",
        "I had no idea what {topic} was about to teach me.|No idea what was coming",
        "It was quiet, and that should have been the first clue.|The first clue",
    ),
    "tension": (
        "Then something went wrong, and it went wrong fast.|Then it went wrong",
        "My heart was pounding, and I didn't know what to do next.|What now?",
        "Every minute felt longer than the last.|Every minute felt longer",
        "Nothing was going the way I had pictured it.|Not the way I pictured",
        "+It felt like the whole thing might fall apart.|Falling apart",
    ),
    "turn": (
        "And then, one small moment turned everything around.|One small moment",
        "That's when I saw it from a completely different angle.|A different angle",
        "Someone said something simple, and I saw it all differently.|Something simple",
        "+The answer had been there the whole time.|There all along",
    ),
    "resolution": (
        "By the end, {topic} felt like something else entirely.|Something else entirely",
        "What felt impossible became something I'm proud of.|Something I'm proud of",
        "The pressure finally lifted, and I could breathe again.|I could breathe again",
        "+Looking back, the hard part was the best part.|The best part",
    ),
    "lesson": (
        "plans change, and that's okay.|Plans change",
        "the hard moments are the ones you remember.|Hard moments stay",
        "ask for help sooner than you think you need it.|Ask for help sooner",
        "small decisions matter more than they seem.|Small decisions matter",
        "you're tougher than you think.|Tougher than you think",
    ),
    # ---- challenges --------------------------------------------------------
    "rule": (
        "Here's the rule: you've got one take to get it right.|One take only",
        "The rules are simple: keep it fun and keep it real.|Keep it fun",
        "No practice runs, no edits, just you and the challenge.|No edits",
        "One rule: no restarts once the camera is rolling.|No restarts",
        "The only rule: give it everything you've got.|Give it everything",
        "Here's the deal: you film it start to finish, no cuts.|Start to finish, no cuts",
    ),
    "move": (
        "give {topic} your best shot, in one take, on camera.|Give it your best",
        "add your own twist, the wilder the better.|Add your twist",
        "finish with a pose that says you nailed it.|Nail the finish",
        "pass it on to the next person.|Pass it on",
    ),
    "challenge_tip": (
        "warm up before you try {topic}.|Warm up first",
        "film from an angle that shows the whole thing.|Get the angle right",
        "go for good form first, speed second.|Form first",
        "do a practice run off camera.|Practice off camera",
        "breathe, and don't rush the start.|Don't rush",
    ),
    # ---- comparisons (X vs Y) ---------------------------------------------
    "side_a": (
        "On one side, there's {a}.|Team {a}",
        "+It has a lot going for it, especially if you like what you know.|Familiar ground",
        "+Its fans love it for good reasons.|Loved for a reason",
        "+For a lot of people, it's simply the default.|The default choice",
    ),
    "side_b": (
        "On the other side, there's {b}.|Team {b}",
        "+It takes a different approach, and that's the whole point.|A different approach",
        "+It wins people over in its own way.|Its own appeal",
        "+Its fans will tell you it's worth a try.|Worth a try",
    ),
    "side_difference": (
        "The real difference is how each one fits your day.|How it fits your day",
        "It comes down to what you value most.|What do you value?",
        "What matters most is which one you'll actually enjoy.|What you'll enjoy",
    ),
    "side_verdict": (
        "My take: there's a time and place for both.|A time for both",
        "For most people, the honest answer is: it depends on the moment.|It depends",
        "Try each with an open mind, then pick your favourite.|Then pick a favourite",
    ),
    # ---- any other topic (a noun phrase) ---------------------------------
    "topic_surface": (
        "Most people only ever see the surface of {topic}.|Just the surface",
        "It's easy to overlook {topic}, and most people do.|Easy to overlook",
        "Here's the thing about {topic}: the basics get skipped.|The basics get skipped",
        "+And that's where the good part hides.|",
    ),
    "topic_insight": (
        "Look a little closer, and a few key ideas explain most of it.|A few key ideas",
        "The details are where {topic} gets interesting.|Where it gets interesting",
        "Most of what makes {topic} interesting is easy to miss.|Easy to miss",
        "+Once you see that, the rest starts to make sense.|",
    ),
    "topic_practical": (
        "The best way in is to start with one small piece and build from there.|"
        "Start with one piece",
        "Pay attention to the small details; they carry most of the story.|Details matter",
        "Learn from people who know {topic} inside out.|Learn from the best",
    ),
    "topic_payoff": (
        "You'll notice the difference the next time someone brings up {topic}.|You'll notice",
        "Once it clicks, it changes how you see {topic}.|It changes how you see it",
        "That's how {topic} goes from background noise to something you really get.|Now you get it",
    ),
    "discover_setting": (
        "I only meant to look into {topic} for a minute.|Just for a minute",
        "At first, {topic} seemed like a small thing.|A small thing at first",
        "I thought I already knew all about {topic}.|I thought I knew it all",
    ),
    "discover_tension": (
        "But the more I looked, the less it matched what I thought I knew.|Not what I thought",
        "One question kept leading to another.|One question led to another",
        "+Every answer opened a new door.|",
    ),
    "discover_turn": (
        "Then one detail changed the whole picture.|One detail changed everything",
        "That's when it finally clicked.|Then it clicked",
        "+Suddenly, everything else made sense.|",
    ),
    "discover_resolution": (
        "Now I can't look at {topic} the same way.|Never the same again",
        "What started as curiosity turned into something I love talking about.|"
        "Curiosity, turned love",
        "+It's a reminder that ordinary things have stories too.|",
    ),
    "topic_dare": (
        "Sum up {topic} in one sentence, on camera, no notes.|One sentence, no notes",
        "Tell us one thing about {topic} that most people don't know.|One thing nobody knows",
        "Explain {topic} to a friend without looking anything up.|No looking it up",
        "Share your favourite fact about {topic}, then tag someone to top it.|Top this",
        "+Then pass it to a friend and see if they can do better.|Pass it on",
    ),
    "topic_point": (
        "the popular version leaves out a lot.|The popular version skips a lot",
        "look for the story behind it.|Find the story behind it",
        "learn from people who know {topic} inside out.|Learn from the best",
        "small details make the biggest difference.|Details matter",
        "the details are where it gets interesting.|The details matter",
        "keep notes on what you discover.|Keep notes",
        "find other people who are into {topic}.|Find your people",
        "stay curious, because there's always more to learn.|Stay curious",
    ),
}

# --------------------------------------------------------------------------- kits

_STORY_ROLES = ("setting", "tension", "turn", "resolution")
_JOURNEY_ROLES = ("journey_setting", "journey_tension", "journey_turn", "journey_resolution")
_DISCOVERY_ROLES = (
    "discover_setting",
    "discover_tension",
    "discover_turn",
    "discover_resolution",
)
_SIDES = ("side_a", "side_b", "side_difference", "side_verdict")

SKILL = Kit(
    hooks={
        H.QUESTION: (
            "What if everything you know about {topic} is only half the story?|"
            "Only half the story?",
            "Why do so many people struggle with {topic} when it doesn't have to be hard?|"
            "Why so hard?",
            "Are you making the most common mistake with {topic}?|The common mistake?",
            "Want to get better at {topic} without burning out?|Better, without burnout?",
        ),
        H.BOLD_CLAIM: (
            "The truth about {topic}: it's simpler than anyone told you.|Simpler than you think",
            "Most advice about {topic} gets it backwards.|Most advice is backwards",
            "You can get better at {topic} starting today.|Better, starting today",
            "This changes how you think about {topic}.|This changes everything",
        ),
        H.STATISTIC: (
            "Count how many minutes you gave {topic} last week. That number says a lot.|"
            "Count the minutes",
            "One small change in {topic}, repeated every day, adds up to a big difference.|"
            "Small change, big difference",
            "Track {topic} for one week and the results will surprise you.|Track it for a week",
        ),
        H.STORY_OPENER: (
            "The first time I tried {topic}, I got it completely wrong.|I got it wrong",
            "Nobody warned me how much {topic} would change my week.|Nobody warned me",
            "A year ago, {topic} felt impossible to me.|It felt impossible",
        ),
        H.CHALLENGE: (
            "I dare you to practise {topic} every day this week.|Every day this week",
            "Think you're good at {topic}? Prove it.|Prove it",
            "Here's a challenge: one week of {topic}, done properly.|One week, done properly",
        ),
        H.CONTROVERSY: (
            "Unpopular opinion: most people approach {topic} all wrong.|Unpopular opinion",
            "The popular advice on {topic} deserves a second look.|A second look",
            "Hot take: {topic} isn't about talent at all.|Not about talent",
        ),
        H.PROMISE: (
            "Give me one minute and {topic} will feel a lot easier.|This will click",
            "By the end of this, you'll know exactly where to start with {topic}.|"
            "Know where to start",
            "Here's the simplest way to get good at {topic}.|The simplest way",
        ),
    },
    roles={
        N.PROBLEM_SOLUTION: ("problem", "cause", "solution", "proof"),
        N.LISTICLE: ("tip",),
        N.STORY_ARC: _JOURNEY_ROLES,
        N.HOW_TO: ("step",),
        N.COMPARISON: ("option_a", "option_b", "difference", "verdict"),
        N.DEMO: ("step",),
        N.CHALLENGE_STEPS: ("rule", "move"),
        DEFAULT: ("problem", "cause", "solution", "proof"),
    },
    openings={
        N.LISTICLE: (
            "Here's what actually works.|",
            "Stick around, because the last one matters most.|",
            "Save this one for later.|",
        ),
        N.STORY_ARC: ("Let me tell you how it went.|", "I still remember how it began.|"),
        N.HOW_TO: (
            "Here's how to do it, step by step.|",
            "It's easier than it sounds.|",
            "You only need a few minutes.|",
        ),
        N.COMPARISON: ("Let's put both ways side by side.|", "There are two ways to go about it.|"),
        DEFAULT: (
            "Here's what you need to know.|",
            "Let's break it down.|",
            "The good news: there's a fix.|",
        ),
    },
    support={
        N.STORY_ARC: ("I didn't see it at the time.|", "Nothing about it was easy.|"),
        N.HOW_TO: (
            "Take your time with this one.|",
            "Don't skip it, even if it feels obvious.|",
            "Keep it simple.|",
        ),
        N.COMPARISON: ("It depends on what you need most.|", "There's no single right answer.|"),
        DEFAULT: (
            "It sounds small, but it makes a real difference.|",
            "This is the part most people skip.|",
            "Give it a fair try before you judge it.|",
        ),
    },
    closings={
        N.LISTICLE: (
            "Try one of these today and see what changes.|Try one today",
            "Those are the habits that make {topic} easier.|Make it easier",
        ),
        N.STORY_ARC: (
            "And that's what {topic} taught me: the hard part is where you grow.|Where you grow",
            "Sometimes the detour is the whole story.|The detour is the story",
        ),
        N.HOW_TO: (
            "That's it: {topic}, done the simple way.|Done the simple way",
            "Follow those steps and {topic} gets easier every time.|Easier every time",
        ),
        N.COMPARISON: (
            "Either way, the best choice is the one you'll keep doing.|The one you'll keep doing",
        ),
        DEFAULT: (
            "So remember: get the basics of {topic} right first, and the rest follows.|"
            "Basics first",
            "That's {topic}, solved one step at a time.|One step at a time",
        ),
    },
    titles={
        N.LISTICLE: ("{Topic}: tips that actually work", "Better at {topic}, fast"),
        N.STORY_ARC: ("What {topic} taught me", "My honest story of {topic}"),
        N.HOW_TO: ("{Topic}, step by step", "A simple guide to {topic}"),
        N.COMPARISON: ("{Topic}: which way wins?", "Two ways to approach {topic}"),
        DEFAULT: ("{Topic}: the problem and the fix", "The real fix for {topic}"),
    },
    descriptions={
        N.LISTICLE: ("Quick, practical tips on {topic}.",),
        N.STORY_ARC: ("A short story about {topic}, and what it taught me.",),
        N.HOW_TO: ("{Topic}, one step at a time.",),
        N.COMPARISON: ("Two approaches to {topic}, side by side.",),
        DEFAULT: ("Why {topic} can feel hard, and the simple fix.",),
    },
    more="more on {topic}",
)

EXPLAIN = Kit(
    hooks={
        H.QUESTION: (
            "{Question}|{Question}",
            "Ever wondered {clause}?|Ever wondered?",
            "You've seen it before, but do you actually know {clause}?|Do you actually know?",
            "{Question} The usual answer leaves out the best part.|{Question}",
        ),
        H.BOLD_CLAIM: (
            "Most people get {clause} completely wrong.|Most people get this wrong",
            "Here's {clause}, and it's not what you'd guess.|Not what you'd guess",
            "The real answer to {clause} beats the myth.|Better than the myth",
        ),
        H.STATISTIC: (
            "Ask around, and you'll find almost nobody can explain {clause}.|Almost nobody knows",
            "Most of us have seen it countless times, yet few could explain {clause}.|"
            "Seen it, never explained",
        ),
        H.STORY_OPENER: (
            "It started with a simple question: {question}|One simple question",
            "The first time I wondered {clause}, I had no idea how deep the answer went.|"
            "Deeper than I thought",
        ),
        H.CHALLENGE: (
            "Can you explain {clause} in one sentence? Try it before I do.|Beat me to it",
            "Quick test: do you actually know {clause}?|Quick test",
        ),
        H.CONTROVERSY: (
            "The explanation you usually hear for {clause} leaves out the best part.|"
            "The missing part",
            "Unpopular opinion: when it comes to {clause}, the usual answer is far too simple.|"
            "Far too simple",
        ),
        H.PROMISE: (
            "Give me one minute and you'll know {clause}.|Give me one minute",
            "By the end of this, {clause} will finally make sense.|It'll finally make sense",
        ),
    },
    roles={
        N.LISTICLE: ("explain_fact",),
        N.CHALLENGE_STEPS: ("quiz_rule", "quiz_clue"),
        DEFAULT: ("explain_myth", "explain_cause", "explain_mechanism", "explain_detail"),
    },
    openings={
        N.LISTICLE: ("Here's what you should know.|", "Let's go through it.|"),
        N.CHALLENGE_STEPS: ("Ready? Let's play.|", "Here's how it works.|"),
        DEFAULT: (
            "Let's break it down.|",
            "Here's the short version.|",
            "It's simpler than it sounds.|",
        ),
    },
    support={
        N.CHALLENGE_STEPS: ("Keep guessing.|", "No peeking.|"),
        DEFAULT: (
            "Stay with me, this is the good part.|",
            "It sounds complicated, but it isn't.|",
            "That's the part most explanations skip.|",
            "Keep that in mind for what comes next.|",
        ),
    },
    closings={
        N.CHALLENGE_STEPS: (
            "Did you guess right? Now you know {clause}.|Did you guess right?",
            "Now you know {clause}. Were you close?|Were you close?",
        ),
        DEFAULT: (
            "So that's the short answer to {clause}, and it beats the myth.|Better than the myth",
            "Remember that the next time someone asks you {clause}.|Remember this one",
            "Next time someone wonders {clause}, you'll know where the answer starts.|"
            "Now you know where to start",
        ),
    },
    titles={
        N.LISTICLE: ("{Clause}: what you should know", "{Question} What to know"),
        N.CHALLENGE_STEPS: ("Do you know {clause}?", "Quiz: {question}"),
        DEFAULT: ("{Clause}, explained", "{Question}", "{Clause}: the short answer"),
    },
    descriptions={
        DEFAULT: (
            "A clear, honest look at {clause}.",
            "{Clause}, explained in plain words.",
        ),
    },
    more="more explainers like this",
)

THING = Kit(
    hooks={
        H.QUESTION: (
            "What if {this} could make your whole day a little easier?|A little easier?",
            "What makes {this} worth a closer look?|Worth a closer look?",
            "Tired of {things} that don't keep up with you?|Tired of settling?",
        ),
        H.BOLD_CLAIM: (
            "{These} might be the most useful {thing} you'll ever own.|The most useful yet",
            "Not all {things} are made equal, and here's the proof.|Not all are equal",
            "{This} {is} about to change your routine.|Your new routine",
        ),
        H.STATISTIC: (
            "Think about how many times a day you reach for your {thing}.|How many times a day?",
            "Add up the hours you spend with your {thing} each week, and quality suddenly matters.|"
            "Add up the hours",
        ),
        H.STORY_OPENER: (
            "I didn't think {this} would change my routine. I was wrong.|I was wrong",
            "It started when my old {thing} finally gave up.|It finally gave up",
        ),
        H.CHALLENGE: (
            "Try going one day without your {thing}. I dare you.|I dare you",
            "Bet you can't find a single thing to dislike about {this}.|Find one flaw",
        ),
        H.CONTROVERSY: (
            "Unpopular opinion: most {things} are overpriced for what they do.|Unpopular opinion",
            "Everyone's talking about {things}, but here's what the ads don't show.|"
            "What the ads don't show",
        ),
        H.PROMISE: (
            "Imagine never having to think twice about your {thing} again.|Never think twice",
            "Here's everything you'll love about {this}.|Everything you'll love",
            "Once you try {this}, there's no going back.|No going back",
        ),
    },
    roles={
        N.DEMO: ("feature",),
        N.LISTICLE: ("thing_reason",),
        N.PROBLEM_SOLUTION: ("thing_problem", "thing_fix", "feature"),
        N.STORY_ARC: ("thing_before", "thing_turn", "thing_after"),
        N.HOW_TO: ("thing_step",),
        DEFAULT: ("feature",),
    },
    openings={
        N.LISTICLE: ("Here's why people love {them}.|", "Save this for later.|"),
        N.STORY_ARC: ("Let me tell you how it happened.|",),
        N.HOW_TO: ("Here's how to get the most out of {them}.|",),
        DEFAULT: ("Let me show you.|", "Take a closer look.|", "Here's why {it} stand{s} out.|"),
    },
    support={
        N.STORY_ARC: ("I didn't think much of it at the time.|", "It's always the little things.|"),
        N.PROBLEM_SOLUTION: ("That's the part nobody talks about.|", "And that's just the start.|"),
        DEFAULT: (
            "You'll notice it right away.|",
            "It just feels right.|",
            "Simple, and beautifully done.|",
            "And that's just the start.|",
        ),
    },
    closings={
        N.HOW_TO: ("That's it: set up once, enjoyed every day.|Enjoyed every day",),
        N.STORY_ARC: (
            "Sometimes the smallest upgrade makes the biggest difference.|Small upgrade",
        ),
        DEFAULT: (
            "{This}: made for the way you live.|Made for you",
            "See {them} once and you'll wonder how you managed without {them}.|"
            "You'll wonder why you waited",
        ),
    },
    titles={
        N.LISTICLE: ("Why people love {this}", "{Things}: reasons to switch"),
        N.STORY_ARC: ("How {this} changed my routine",),
        N.HOW_TO: ("Getting the most out of {this}",),
        DEFAULT: ("{Things}, done right", "The {thing} you'll actually use every day"),
    },
    descriptions={
        DEFAULT: ("A closer look at {this}, and what makes {them} worth having.",),
    },
)

EVENT = Kit(
    hooks={
        H.QUESTION: (
            "Can I tell you about {topic}?|Can I tell you something?",
            "I'll never forget {topic}. What's the moment you'll never forget?|What's your moment?",
        ),
        H.BOLD_CLAIM: (
            "{Topic} taught me more than any book ever did.|More than any book",
            "{Topic} changed the way I see everything.|It changed everything",
        ),
        H.STATISTIC: (
            "I've replayed {topic} in my head more times than I can count.|"
            "More times than I can count",
        ),
        H.STORY_OPENER: (
            "I still think about {topic}.|I still think about it",
            "Nobody was ready for {topic}, least of all me.|Nobody was ready",
            "This is the story of {topic}.|This is the story",
        ),
        H.CHALLENGE: ("Try to guess how {topic} ended. Bet you can't.|Guess the ending",),
        H.CONTROVERSY: (
            "People think {topic} was a disaster. I think it was the best thing that happened "
            "to me.|The best thing that happened",
        ),
        H.PROMISE: (
            "Stay with me, because {topic} ends somewhere you won't expect.|You won't expect this",
        ),
    },
    roles={N.LISTICLE: ("lesson",), DEFAULT: _STORY_ROLES},
    openings={
        DEFAULT: (
            "Let me tell you how it happened.|",
            "This is how it went.|",
            "I still remember how it began.|",
        ),
    },
    support={
        DEFAULT: (
            "I didn't see it at the time.|",
            "Nothing about it was easy.|",
            "That moment stayed with me.|",
            "I can still picture it.|",
        ),
    },
    closings={
        N.LISTICLE: ("That's what {topic} taught me.|Lessons learned",),
        DEFAULT: (
            "And that's what {topic} taught me: the hard part is where you grow.|Where you grow",
            "Sometimes the detour is the whole story.|The detour is the story",
            "I'd never want to relive {topic}, but I wouldn't trade it either.|Wouldn't trade it",
        ),
    },
    titles={
        N.LISTICLE: ("What {topic} taught me",),
        DEFAULT: ("{Topic}", "What {topic} taught me", "The story of {topic}"),
    },
    descriptions={DEFAULT: ("The story of {topic}, and what it taught me.",)},
    more="more stories like this",
)

CHALLENGE = Kit(
    hooks={
        H.QUESTION: (
            "Could you actually beat {topic}?|Could you beat it?",
            "Have you tried {topic} yet?|Tried it yet?",
        ),
        H.BOLD_CLAIM: (
            "{Topic} is harder than it looks.|Harder than it looks",
            "Most people underestimate {topic}.|Don't underestimate it",
        ),
        H.STATISTIC: (
            "Count how long you last on your first try. That's your number to beat.|"
            "Your number to beat",
        ),
        H.STORY_OPENER: ("The first time I tried {topic}, it did not go to plan.|Not to plan",),
        H.CHALLENGE: (
            "Bet you can't finish {topic} on your first try.|First try?",
            "I dare you to try {topic} without laughing.|Try not to laugh",
            "Think you can handle {topic}? Prove it.|Prove it",
            "Here's {topic}, and it's harder than it looks.|Harder than it looks",
        ),
        H.CONTROVERSY: (
            "Unpopular opinion: {topic} is way harder than people admit.|Harder than people admit",
        ),
        H.PROMISE: ("Stick with me and you'll nail {topic} on your next try.|Nail it next try",),
    },
    roles={
        N.LISTICLE: ("challenge_tip",),
        N.STORY_ARC: _STORY_ROLES,
        DEFAULT: ("rule", "move"),
    },
    openings={
        N.STORY_ARC: ("Let me tell you how it went.|",),
        DEFAULT: ("Here's how it works.|", "Ready? Let's go.|", "Simple rules.|"),
    },
    support={
        N.STORY_ARC: ("I didn't see it coming.|", "Nothing about it was easy.|"),
        DEFAULT: ("No overthinking.|", "You've got this.|", "Film it, whatever happens.|"),
    },
    closings={
        N.STORY_ARC: ("And that's how {topic} humbled me.|Humbled",),
        DEFAULT: (
            "That's the challenge. Your turn.|Your turn",
            "Now it's your move.|Your move",
            "Think you can beat it? Show me.|Show me",
        ),
    },
    titles={DEFAULT: ("Can you beat {topic}?", "{Topic}: your turn")},
    descriptions={DEFAULT: ("{Topic}: watch, then try it yourself.",)},
    more="more challenges",
)

COMPARE = Kit(
    hooks={
        H.QUESTION: (
            "{A} or {b}: which one actually wins?|Which one wins?",
            "Are you team {a} or team {b}?|Which team are you?",
        ),
        H.BOLD_CLAIM: (
            "The {a} versus {b} debate is simpler than it looks.|Simpler than it looks",
            "Picking between {a} and {b} is easier than people make it.|Easier than you think",
        ),
        H.STATISTIC: ("Keep score as we go: {a} or {b}, point by point.|Keep score",),
        H.STORY_OPENER: ("For years, I was firmly on team {a}.|Team {a}, for years",),
        H.CHALLENGE: ("Pick a side before the end: {a} or {b}.|Pick a side",),
        H.CONTROVERSY: (
            "Unpopular opinion: the {a} versus {b} fight misses the point.|It misses the point",
        ),
        H.PROMISE: (
            "By the end of this, you'll know whether {a} or {b} is right for you.|"
            "Which is right for you",
        ),
    },
    roles={DEFAULT: _SIDES},
    openings={DEFAULT: ("Let's put them side by side.|", "Here's the honest breakdown.|")},
    support={
        DEFAULT: (
            "Both have their place.|",
            "Keep score as we go.|",
            "It's closer than you'd think.|",
        )
    },
    closings={
        DEFAULT: (
            "Either way, the best choice is the one that fits you.|The one that fits you",
            "So, {a} or {b}? You decide.|You decide",
        ),
    },
    titles={DEFAULT: ("{A} vs {b}: which one wins?", "{A} or {b}? The honest answer")},
    descriptions={DEFAULT: ("{A} and {b}, side by side.",)},
    more="more side-by-sides",
)

TOPIC = Kit(
    hooks={
        H.QUESTION: (
            "What do most people get wrong about {topic}?|What do we get wrong?",
            "How much do you really know about {topic}?|How much do you know?",
            "What's the one thing nobody tells you about {topic}?|What nobody tells you",
        ),
        H.BOLD_CLAIM: (
            "There's more to {topic} than most people think.|There's more to it",
            "Everything you've heard about {topic} is only half the story.|Only half the story",
            "Once you understand {topic}, you see it everywhere.|You'll see it everywhere",
        ),
        H.STATISTIC: (
            "Think about how often {topic} shows up in a single week. It adds up.|It adds up",
            "Rate what you know about {topic} from one to ten, then keep watching.|"
            "Rate yourself first",
        ),
        H.STORY_OPENER: (
            "I didn't think much about {topic} until one afternoon changed my mind.|"
            "One afternoon changed it",
            "The first time I really looked into {topic}, I was surprised.|I was surprised",
        ),
        H.CHALLENGE: (
            "Think you know {topic}? Prove it before the end of this video.|Prove it",
            "Try explaining {topic} in one sentence. Harder than it sounds.|One sentence. Go.",
        ),
        H.CONTROVERSY: (
            "Unpopular opinion: most takes on {topic} miss the point.|Unpopular opinion",
            "Everyone talks about {topic}, but hardly anyone mentions the downside.|The downside",
            "The popular take on {topic} deserves a second look.|A second look",
        ),
        H.PROMISE: (
            "Give me one minute and {topic} will make a lot more sense.|This will click",
            "By the end of this, you'll see {topic} differently.|You'll see it differently",
            "Here's everything worth knowing about {topic}, fast.|Everything worth knowing",
        ),
    },
    roles={
        N.LISTICLE: ("topic_point",),
        N.STORY_ARC: _DISCOVERY_ROLES,
        N.HOW_TO: ("step",),
        N.COMPARISON: ("option_a", "option_b", "difference", "verdict"),
        N.CHALLENGE_STEPS: ("rule", "topic_dare"),
        DEFAULT: ("topic_surface", "topic_insight", "topic_practical", "topic_payoff"),
    },
    openings={
        N.LISTICLE: ("Here's what's worth knowing.|", "Save this one for later.|"),
        N.HOW_TO: ("Here's how to start, step by step.|", "It's easier than it sounds.|"),
        N.STORY_ARC: ("Let me tell you how it went.|",),
        N.CHALLENGE_STEPS: ("Here's how it works.|", "Ready? Let's go.|"),
        DEFAULT: ("Here's what you need to know.|", "Let's break it down.|", "Stick with me.|"),
    },
    support={
        N.STORY_ARC: ("I didn't see it at the time.|", "That stayed with me.|"),
        N.HOW_TO: (
            "Take your time with this one.|",
            "Don't skip it, even if it feels obvious.|",
            "Keep it simple.|",
        ),
        N.CHALLENGE_STEPS: (
            "No overthinking.|",
            "You've got this.|",
            "Film it, whatever happens.|",
        ),
        DEFAULT: (
            "It sounds small, but it makes a real difference.|",
            "This is the part most people skip.|",
            "Keep that in mind.|",
        ),
    },
    closings={
        N.LISTICLE: (
            "Try one of these today and see what changes.|Try one today",
            "Those are the ones worth remembering.|Worth remembering",
        ),
        N.HOW_TO: ("That's it: {topic}, done the simple way.|Done the simple way",),
        N.STORY_ARC: (
            "Sometimes the most ordinary things hold the best stories.|The best stories",
            "And that's how {topic} turned into a story I love telling.|A story worth telling",
        ),
        N.COMPARISON: (
            "Either way, the best choice is the one you'll keep doing.|The one you'll keep doing",
        ),
        N.CHALLENGE_STEPS: ("That's the challenge. Your turn.|Your turn",),
        DEFAULT: (
            "So the next time someone mentions {topic}, you'll see more than most people do.|"
            "You'll see more",
            "That's {topic}, one piece at a time.|One piece at a time",
        ),
    },
    titles={
        N.LISTICLE: ("{Topic}: what's worth knowing", "{Topic}, in a nutshell"),
        N.HOW_TO: ("{Topic}, step by step", "A simple guide to {topic}"),
        N.STORY_ARC: ("How I fell for {topic}", "My rabbit hole: {topic}"),
        DEFAULT: ("{Topic}: what most people miss", "The truth about {topic}"),
    },
    descriptions={DEFAULT: ("A quick, honest look at {topic}.",)},
    more="more on {topic}",
)

KITS: dict[str, Kit] = {
    "skill": SKILL,
    "explain": EXPLAIN,
    "thing": THING,
    "event": EVENT,
    "challenge": CHALLENGE,
    "compare": COMPARE,
    "topic": TOPIC,
}

CTAS: dict[CtaType, Bank] = {
    CtaType.FOLLOW: (
        "Follow for {more}.|Follow for more",
        "Follow so you don't miss the next one.|Follow for part two",
    ),
    CtaType.LIKE: (
        "If this helped, give it a like.|Like if this helped",
        "Tap like if you learned something new.|Tap like",
    ),
    CtaType.COMMENT: (
        "Tell me in the comments: what's your take?|What's your take?",
        "Drop your own story in the comments.|Share your story",
    ),
    CtaType.SHARE: (
        "Share this with someone who needs it.|Share it",
        "Send this to a friend who'd love it.|Send to a friend",
    ),
    CtaType.SUBSCRIBE: (
        "Subscribe for {more}.|Subscribe for more",
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
        "Plot twist incoming.|",
        "Yes, I'm completely serious.|",
        "Stay with me, it gets better.|",
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
        "Honestly, you've got this.|",
        "Stick with me here.|",
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

#: Units that make poor hashtags on their own ("#second").
UNIT_WORDS: frozenset[str] = frozenset(
    {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks"}
)
