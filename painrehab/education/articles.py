"""The education library: short articles for families, written by the program.

Six articles in plain language: how chronic pain works, why doing comes first,
sleep, going back to school, how parents can respond to pain, and what to expect
in the program. They are evidence-informed and written for this program: no text
is copied from elsewhere and no questionnaire wording is used.

Every string is wrapped in ``gettext_lazy``, so an article is read in the language
active when a page renders it. The Spanish lives in this app's own message file
(``painrehab/education/locale/es/LC_MESSAGES/django.po``, compiled to ``.mo``);
``translatable_strings()`` lists every string, for the test that none is left
untranslated.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    heading: Promise
    paragraphs: tuple[Promise, ...]


@dataclass(frozen=True)
class Article:
    slug: str
    title: Promise
    summary: Promise
    sections: tuple[Section, ...]

    def strings(self) -> list[Promise]:
        """Every translatable string of the article, in reading order."""
        found = [self.title, self.summary]
        for section in self.sections:
            found.append(section.heading)
            found.extend(section.paragraphs)
        return found

    @property
    def word_count(self) -> int:
        """Words of the summary and the sections in the active language."""
        return sum(len(str(s).split()) for s in self.strings()[1:])


class ArticleNotFound(LookupError):
    pass


ARTICLES: tuple[Article, ...] = (
    Article(
        slug="how-chronic-pain-works",
        title=_("How chronic pain works"),
        summary=_(
            "Pain is real, and its job is to protect us. In long-lasting pain, the "
            "body's alarm system has become too sensitive, but it can calm down again."
        ),
        sections=(
            Section(
                _("Pain is the body's alarm"),
                (
                    _(
                        "Pain is one of the ways the body keeps us safe. Nerves all "
                        "over the body send messages to the spinal cord and the brain."
                        " The brain puts these messages together with what it knows, "
                        "such as what is happening and how we feel, and then decides "
                        "whether to sound an alarm. That alarm is pain. All pain is "
                        "real, wherever it comes from."
                    ),
                    _(
                        "When we twist an ankle, the alarm is useful: it makes us rest"
                        " the ankle while it heals. Once the tissues have healed, the "
                        "alarm usually goes quiet."
                    ),
                ),
            ),
            Section(
                _("When the alarm becomes too sensitive"),
                (
                    _(
                        "Sometimes the alarm keeps ringing long after an injury has "
                        "healed, or it starts without any clear injury at all. When "
                        "pain lasts longer than three months, doctors call it chronic "
                        "pain. In many children with chronic pain, the nerves, the "
                        "spinal cord and the brain have become more sensitive. This is"
                        " called sensitisation: the volume of the pain system has been"
                        " turned up."
                    ),
                    _(
                        "Think of a smoke alarm that goes off every time someone makes"
                        " toast. The alarm works, but it is too sensitive and reacts "
                        "to things that are not dangerous. In the same way, a "
                        "sensitive pain system can produce strong pain from ordinary "
                        "movement, a light touch or a normal day at school."
                    ),
                ),
            ),
            Section(
                _("Hurt does not always mean harm"),
                (
                    _(
                        "This is one of the most important ideas in the program. In "
                        "chronic pain, pain is not a reliable sign that the body is "
                        "being damaged. Your child's team has checked carefully for "
                        "illnesses and injuries that need a different treatment. When "
                        "the team says it is safe to move, it is safe to move, even if"
                        " it hurts."
                    ),
                    _(
                        "Avoiding activity because of pain is understandable. Over "
                        "time, though, it makes muscles weaker, sleep worse and "
                        "worries bigger, and all of these turn the pain volume up."
                    ),
                ),
            ),
            Section(
                _("What turns the volume up or down"),
                (
                    _(
                        "Many things change how loud the alarm is. Poor sleep, stress,"
                        " worry, low mood, long periods of rest and paying close "
                        "attention to pain tend to turn it up. Regular movement, good "
                        "sleep, fun, time with friends, feeling calm and feeling "
                        "confident tend to turn it down."
                    ),
                    _(
                        "This is why the program includes physical therapy, "
                        "psychology, school, play and time with the family. Each one "
                        "works on a different part of the same system."
                    ),
                ),
            ),
            Section(
                _("The pain system can change"),
                (
                    _(
                        "The nervous system keeps learning and changing throughout "
                        "life. Just as it learned to be more sensitive, it can slowly "
                        "learn to be less sensitive. This takes practice and time. Bad"
                        " days are part of the process, not a sign of failure. Step by"
                        " step, most children get back to the things that matter to "
                        "them."
                    ),
                ),
            ),
        ),
    ),
    Article(
        slug="why-function-comes-first",
        title=_("Why doing comes first"),
        summary=_(
            "In the program we focus first on what your child can do, not on how much "
            "it hurts. This article explains why."
        ),
        sections=(
            Section(
                _("Waiting for the pain to go away"),
                (
                    _(
                        "When a child is in pain, it seems sensible to wait until they"
                        " feel better before going back to school, sport or friends. "
                        "With short-term pain, that works. With chronic pain, the "
                        "waiting often goes on and on, and life gets smaller in the "
                        "meantime."
                    ),
                    _(
                        "Resting for a long time weakens muscles, lowers stamina and "
                        "upsets sleep. Missing school and friends can bring worry and "
                        "sadness. A sensitive pain system reacts to all of this, so "
                        "with a lot of rest, pain often gets worse rather than better."
                    ),
                ),
            ),
            Section(
                _("Doing more first, feeling better later"),
                (
                    _(
                        "Research on programs like ours shows that children usually "
                        "get their function back first: they walk further, stay in "
                        "class longer and manage more of their daily routine. Pain "
                        "often eases later, sometimes weeks or months after they have "
                        "become more active. That is why we measure success by what "
                        "your child can do."
                    ),
                    _(
                        "Each goal in your child's plan describes an everyday activity"
                        " that matters to them, such as walking to school, playing an "
                        "instrument or sleeping through the night. The team reviews "
                        "the goals every week."
                    ),
                ),
            ),
            Section(
                _("Small steps, every day"),
                (
                    _(
                        "Activity is increased little by little, following a plan made"
                        " in advance. Each day your child does a bit more than the day"
                        " before, whatever the pain is like that day. This is "
                        "different from doing as much as possible on good days and "
                        "nothing on bad days, a pattern that often leads to flare-ups "
                        "and long rests."
                    ),
                    _(
                        "The therapists choose steps that are challenging but "
                        "possible. Some pain, tiredness or soreness during and after "
                        "activity is expected, and it is safe."
                    ),
                ),
            ),
            Section(
                _("When the pain flares up"),
                (
                    _(
                        "Flare-ups happen, even when things are going well. They do "
                        "not mean that something has been damaged or that the program "
                        "is not working. During a flare-up we keep going with a "
                        "slightly smaller step and use coping skills, such as slow "
                        "breathing, relaxation and distraction, instead of stopping "
                        "altogether."
                    ),
                ),
            ),
            Section(
                _("How you can help"),
                (
                    _(
                        "Ask your child what they did today, not only how much it "
                        "hurts. Notice their effort and celebrate small steps. If you "
                        "are not sure whether an activity is safe, ask the team: we "
                        "are glad to explain."
                    ),
                ),
            ),
        ),
    ),
    Article(
        slug="sleep",
        title=_("Sleep and pain"),
        summary=_(
            "Pain can make it hard to sleep, and poor sleep can make pain worse. Good "
            "sleep habits help to break this circle."
        ),
        sections=(
            Section(
                _("A two-way street"),
                (
                    _(
                        "Many children with chronic pain find it hard to fall asleep, "
                        "wake up often during the night or feel tired in the morning. "
                        "Poor sleep makes the pain system more sensitive, lowers mood "
                        "and makes it harder to concentrate and cope. A better night "
                        "often means a better day, and an active day helps the next "
                        "night."
                    ),
                ),
            ),
            Section(
                _("Habits that help"),
                (
                    _(
                        "Keep the same bedtime and the same wake-up time every day, "
                        "weekends included. A regular rhythm tells the body when it is"
                        " time to sleep. Try to keep the difference between school "
                        "days and weekends to an hour or less."
                    ),
                    _(
                        "Plan a calm wind-down routine of 30 to 60 minutes before bed:"
                        " a warm shower, reading, quiet music or a relaxation exercise"
                        " learned in the program. Do the same things in the same order"
                        " every night."
                    ),
                    _(
                        "Screens keep the brain alert. Switch off phones, tablets, "
                        "games and television at least an hour before bed, and if you "
                        "can, keep phones out of the bedroom at night."
                    ),
                    _(
                        "Keep the bed for sleeping. Doing homework, playing games or "
                        "lying in bed in pain for hours teaches the brain that bed is "
                        "a place to be awake. The bedroom should be dark, quiet and "
                        "cool."
                    ),
                    _(
                        "Daylight in the morning and activity during the day help "
                        "sleep at night. Avoid long naps in the afternoon, and from "
                        "midday on avoid drinks with caffeine, such as cola, energy "
                        "drinks, coffee and some teas."
                    ),
                ),
            ),
            Section(
                _("When sleep will not come"),
                (
                    _(
                        "If your child has been lying awake for what feels like more "
                        "than 20 minutes, it can help to get up, do something quiet in"
                        " dim light and go back to bed when sleepy. Lying in bed "
                        "worrying about not sleeping usually keeps sleep away."
                    ),
                    _(
                        "A notebook by the bed can help, too: writing worries down "
                        "before sleep lets the mind rest. The breathing and relaxation"
                        " skills from psychology sessions can also be used in bed."
                    ),
                ),
            ),
            Section(
                _("What the family can do"),
                (
                    _(
                        "Sleep habits are easier to keep when the whole household "
                        "follows them. Agree on a routine together, keep evenings calm"
                        " and be patient: changes in sleep often take a few weeks to "
                        "show. If sleep problems continue, tell the team."
                    ),
                ),
            ),
        ),
    ),
    Article(
        slug="back-to-school",
        title=_("Going back to school"),
        summary=_(
            "School is a child's everyday work and an important part of getting "
            "better. A clear plan, step by step, makes going back easier."
        ),
        sections=(
            Section(
                _("Why school matters"),
                (
                    _(
                        "School is where children learn, spend time with friends and "
                        "build confidence. Many children with chronic pain miss a lot "
                        "of school, and the longer a child is away, the harder going "
                        "back usually feels: lessons move on, friendships change and "
                        "worries grow. Going back to school is one of the most "
                        "important goals of the program."
                    ),
                    _(
                        "During the program, your child goes to school on the unit "
                        "every weekday. This keeps learning going and is practice for "
                        "sitting in class, concentrating and managing pain during "
                        "lessons."
                    ),
                ),
            ),
            Section(
                _("Planning the return"),
                (
                    _(
                        "Before discharge, the team works with you and your child's "
                        "school on a plan for going back. It often starts with part of"
                        " the day and builds up to full days over a few weeks. The "
                        "team writes a letter for the school that explains the plan "
                        "and how the school can help, without sharing details you have"
                        " not agreed to share."
                    ),
                    _(
                        "Helpful support can include a named adult your child can go "
                        "to, short breaks to move, a way to catch up on missed work "
                        "and a place to use coping skills for a few minutes. The aim "
                        "of all support is to help your child stay in class, not to "
                        "leave it."
                    ),
                ),
            ),
            Section(
                _("Pain at school"),
                (
                    _(
                        "Your child will probably have pain at school, at least at "
                        "first. That is expected, and it is safe. Together we make a "
                        "plan for those moments: use a coping skill, take a short "
                        "break, then go back to the lesson. Going home early because "
                        "of pain can feel kind at the time, but it tends to make the "
                        "next day harder."
                    ),
                    _(
                        "Children often worry about what to tell their classmates. "
                        "Practising a short, simple answer, such as “I was in hospital"
                        " getting stronger, and now I'm back”, can make this easier."
                    ),
                ),
            ),
            Section(
                _("How parents can help"),
                (
                    _(
                        "Your calm confidence makes a difference. In the morning, "
                        "expect your child to go, help them get ready and keep the "
                        "routine predictable. If your child calls from school asking "
                        "to come home, listen kindly, remind them of their plan and "
                        "encourage them to stay. Keep in touch with the contact person"
                        " at school, and tell the team how things are going at "
                        "follow-up visits."
                    ),
                ),
            ),
        ),
    ),
    Article(
        slug="responding-to-pain",
        title=_("How you can respond when your child is in pain"),
        summary=_(
            "Seeing your child hurt is very hard. Some ways of responding help "
            "children do more and cope better. Here are ideas we practise with "
            "families."
        ),
        sections=(
            Section(
                _("Your care matters"),
                (
                    _(
                        "It is natural to want to protect a child who is hurting. "
                        "Parents often let their child rest, take over their chores, "
                        "keep them home from school or ask about their pain many times"
                        " a day. These responses come from love, and in the short term"
                        " they can seem to help."
                    ),
                    _(
                        "With chronic pain, though, research shows that very "
                        "protective responses can, without anyone meaning it, keep "
                        "attention on the pain and make it harder for a child to get "
                        "back to everyday life. Nobody is to blame for this. Families "
                        "can learn new ways of responding, and changes at home make a "
                        "real difference."
                    ),
                ),
            ),
            Section(
                _("First understand, then encourage"),
                (
                    _(
                        "A helpful response has two parts. First, show that you "
                        "believe your child and understand that it is hard: “I can see"
                        " the pain is strong today.” Then encourage the next step: "
                        "“Let's do your breathing, and then get ready for school.” "
                        "Both parts matter. Understanding without encouragement can "
                        "leave a child stuck, and encouragement without understanding "
                        "can feel harsh."
                    ),
                ),
            ),
            Section(
                _("Notice what goes well"),
                (
                    _(
                        "Children pay attention to what their parents pay attention "
                        "to. Try to talk less about pain and more about what your "
                        "child did, learned and enjoyed. Notice effort and praise it, "
                        "even for small steps: “You went to all your classes today. "
                        "Well done.”"
                    ),
                    _(
                        "Instead of asking “How is your pain?” many times a day, ask "
                        "“What was the best part of your day?” When your child wants "
                        "to tell you about the pain, listen calmly and kindly, then "
                        "help them move on to something else."
                    ),
                ),
            ),
            Section(
                _("Keep routines and expectations"),
                (
                    _(
                        "As far as you can, keep the same rules, chores and routines "
                        "as for any child of the same age. This tells your child that "
                        "you believe they can do it. It also helps when both parents, "
                        "and the other adults who care for your child, respond in the "
                        "same way."
                    ),
                ),
            ),
            Section(
                _("Look after yourself, too"),
                (
                    _(
                        "Children learn from how the adults around them cope. When you"
                        " stay calm, your child feels safer. Caring for a child in "
                        "pain is tiring and stressful, so your own rest, support and "
                        "well-being matter too. The team's psychologist and social "
                        "worker are there for you as well as for your child. Please "
                        "ask them if you would like to talk."
                    ),
                ),
            ),
        ),
    ),
    Article(
        slug="what-to-expect",
        title=_("What to expect in the program"),
        summary=_(
            "An overview of the stay: a full day of activity, a team around your "
            "child, time with the family, a weekly team meeting and a plan for going "
            "home."
        ),
        sections=(
            Section(
                _("A day like a school day"),
                (
                    _(
                        "The program is built like a busy day at school or at work. "
                        "From morning until late afternoon, your child goes from one "
                        "session to the next: physical therapy, occupational therapy, "
                        "psychology, school on the unit and other activities, with "
                        "breaks and meals in between. Your child's timetable in this "
                        "portal shows what happens when, where and with whom."
                    ),
                    _(
                        "Children get dressed, stay out of bed during the day and take"
                        " part in every session, even when the pain is strong. This is"
                        " hard work, and it is how the program helps children get back"
                        " to their lives. Tiredness and soreness in the first week are"
                        " common and expected."
                    ),
                ),
            ),
            Section(
                _("The team"),
                (
                    _(
                        "Your child is cared for by a team that works closely "
                        "together: doctors, nurses, physical and occupational "
                        "therapists, psychologists, social workers, a Child Life "
                        "specialist, teachers and other therapists. Each member brings"
                        " different skills, and they all share one plan with one set "
                        "of goals."
                    ),
                ),
            ),
            Section(
                _("Family time and parent sessions"),
                (
                    _(
                        "Families are an essential part of the program. Evenings are "
                        "family time, with visiting hours set by the unit; this portal"
                        " shows the times for your child. Parents also take part in "
                        "family sessions and parent training with the team. There you "
                        "learn how to support your child and practise the skills your "
                        "child is learning, so that they can carry on at home."
                    ),
                ),
            ),
            Section(
                _("Weekly team meetings"),
                (
                    _(
                        "Once a week, the whole team meets to talk about how each "
                        "child is doing, review the goals and agree on any changes to "
                        "the plan. After the meeting, the team writes a short summary "
                        "for the family, which you can read on the Progress page."
                    ),
                ),
            ),
            Section(
                _("Going home"),
                (
                    _(
                        "Planning for going home starts early. Before discharge, the "
                        "team prepares a home exercise programme, a plan for going "
                        "back to school and written instructions for the family. Some "
                        "children have a step-down period with fewer sessions, and "
                        "every child has follow-up visits at the pain clinic to see "
                        "how things are going."
                    ),
                    _(
                        "The skills learned in the program work best when they are "
                        "used at home every day. If you have questions at any time, "
                        "ask any member of the team or send a message through this "
                        "portal."
                    ),
                ),
            ),
        ),
    ),
)


_BY_SLUG = {article.slug: article for article in ARTICLES}


def article_list() -> tuple[Article, ...]:
    """The library, in reading order."""
    return ARTICLES


def article_get(slug: str) -> Article:
    """The article called ``slug``; ``ArticleNotFound`` for any other."""
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise ArticleNotFound(slug) from None


def translatable_strings() -> list[Promise]:
    """Every string of every article (for the translation test)."""
    return [s for article in ARTICLES for s in article.strings()]
