"""Varied, plausible text for generated scale data: role names, profiles and Markdown bodies.

Everything is drawn from one seeded ``random.Random``, so a seed gives the same site every time.
The writers return Markdown exactly as an editor would type it in the admin; links are given as
``(title, path)`` pairs of other generated items and come out as ordinary Markdown links.
"""

from dataclasses import dataclass, field

from django.utils.text import slugify

from harness_cms.core.text import META_DESCRIPTION_MAX

DOMAINS = [
    "Harness", "AI", "Prompt", "Context", "Agent", "Evaluation", "ML Platform", "LLM Ops",
    "Retrieval", "Memory Systems", "Conversation", "AI Safety", "Inference", "Data",
    "Applied AI", "Agent Reliability", "Orchestration", "Model Integration", "AI Product",
    "Knowledge", "Search Relevance", "Developer Tooling", "Fine-Tuning", "Observability",
    "AI Infrastructure", "Voice AI", "Multimodal", "Trust and Safety", "AI Quality",
    "Simulation", "Workflow Automation", "Document AI", "Ranking", "Personalization",
    "Embedding", "Guardrails", "Red Team", "AI Security", "Synthetic Data", "Annotation",
]  # fmt: skip
FUNCTIONS = [
    "Engineer", "Architect", "Lead", "Researcher", "Specialist", "Developer", "Scientist",
    "Manager", "Analyst", "Designer", "Operator", "Consultant",
]  # fmt: skip
LEVELS = ["Senior", "Staff", "Principal", "Junior"]

CONCEPTS = [
    "context windows", "session persistence", "memory managers", "context compaction",
    "tool calling", "retrieval pipelines", "evaluation sets", "agent loops", "checkpointing",
    "prompt templates", "guardrails", "latency budgets", "token costs", "trace replay",
    "model routing", "fallback models", "structured output", "schema validation",
    "human review queues", "feedback loops", "red-team suites", "embedding indexes",
    "vector stores", "chunking strategies", "reranking", "caching of model calls", "rate limits",
    "observability dashboards", "drift detection", "regression suites", "A/B experiments",
    "release gates", "incident reviews", "long-running tasks", "multi-agent handoffs",
    "planner and executor splits", "sandboxed tool execution", "permission scopes",
    "audit logs", "PII redaction", "cost attribution", "GPU capacity", "batch inference",
    "streaming responses", "conversation state", "user preference memory", "episodic memory",
    "history summarization", "knowledge graphs", "document parsing", "label quality",
    "synthetic test data", "prompt versioning", "model cards", "evaluation rubrics",
    "golden datasets", "canary releases", "tool schemas", "retry policies", "stop conditions",
]  # fmt: skip
CONCERNS = [
    "long-task drift", "context overload", "stale memory", "silent regressions after a model "
    "upgrade", "runaway token spend", "tool-call loops", "hallucinated citations",
    "slow first tokens", "flaky evaluations", "prompt injection through retrieved documents",
    "lost state after a reconnect", "conflicting memories", "unbounded retries",
    "duplicate side effects", "rising cost per task", "irrelevant retrieval results",
    "evaluation sets that no longer match real traffic", "labels that disagree",
    "unclear ownership of failures", "leaking personal data into logs",
    "timeouts in long tool chains", "brittle output parsing", "over-long system prompts",
    "quality that drops late in a session",
]  # fmt: skip
METRICS = [
    "task completion rate", "cost per finished task", "p95 latency", "eval-set pass rate",
    "escalation rate", "recovery rate after failed steps", "late-turn answer quality",
    "retrieval precision", "user-reported issues per thousand sessions", "time to ship a fix",
    "feature adoption", "token spend per user", "regressions caught before release",
    "share of runs that need a human", "answer groundedness",
]  # fmt: skip
HORIZONS = [
    "The single request and the release cycle.",
    "Hundreds of steps and sessions that last hours.",
    "Quarters: platforms and shared services that many teams build on.",
    "Weeks of persisted memory and returning users.",
    "The sprint: experiments that either ship or are dropped.",
    "The lifetime of a model version, from adoption to retirement.",
    "Each incident and the follow-up that keeps it from coming back.",
]
SYSTEMS = [
    "the agent loop", "the context assembler", "the session store", "the memory manager",
    "checkpoints and recovery paths", "model integrations", "the evaluation harness",
    "the prompt library", "the retrieval service", "the feature flag rules for model rollout",
    "the tracing pipeline", "the labelling tool", "the guardrail service", "the model gateway",
    "the cost dashboard", "the red-team playbook", "the fine-tuning pipeline",
    "the document ingestion jobs", "the ranking model", "the tool registry",
]  # fmt: skip
SKILLS = [
    ("Python and typed interfaces", "most harness and pipeline code is Python"),
    ("Reading traces", "failures show up in traces long before dashboards"),
    ("Statistics for evaluation", "small eval sets mislead without confidence intervals"),
    ("Distributed systems basics", "sessions and memory are state that must survive failures"),
    ("Writing clear instructions", "the model only knows what the context says"),
    ("SQL and data modelling", "memory and labels live in tables someone has to design"),
    ("Security review", "tools give models real permissions"),
    ("Product judgement", "not every quality gain is worth its latency"),
    ("Cost modelling", "token spend grows faster than traffic"),
    ("Incident response", "AI failures need the same discipline as outages"),
    ("Information retrieval", "ranking decides what the model gets to see"),
    ("Experiment design", "A/B tests on model changes are easy to get wrong"),
]  # fmt: skip
TEAMS = [
    "a platform group", "the product engineering lead", "the head of AI", "a research director",
    "the CTO", "an engineering manager for applied AI", "the data platform lead",
]  # fmt: skip
PROJECTS = [
    "Fix an assistant that forgets the user's goal after a long session.",
    "Cut the cost per finished task by a third without losing quality.",
    "Build an evaluation set from last month's support tickets.",
    "Add checkpoints so a forty-minute task survives a worker restart.",
    "Move a feature to a newer model without regressions.",
    "Stop a research agent from looping on the same search.",
    "Design the memory schema for returning users.",
    "Replace an ad-hoc prompt with a versioned template and tests.",
    "Make retrieval cite the right document version.",
    "Set up red-team tests for a new tool with write access.",
    "Ship a summarization feature behind a feature flag.",
    "Trace why quality drops after the third compaction.",
]
TOPICS = [
    ("scale-roles-and-teams", "Roles and teams", "Who does what around AI systems."),
    ("scale-context", "Context and prompts", "What the model sees on each step."),
    ("scale-memory", "Sessions and memory", "State that lasts longer than one request."),
    ("scale-evaluation", "Evaluation and quality", "How teams know a change made things better."),
    ("scale-operations", "Running AI in production", "Cost, latency, incidents and releases."),
    ("scale-safety", "Safety and security", "Guardrails, permissions and data protection."),
    ("scale-careers", "Hiring and careers", "Interviews, levels and how people grow."),
    ("scale-tools", "Tools and platforms", "The systems these roles build and run on."),
]
TAGS = [
    "context engineering", "sessions", "memory", "evaluation", "orchestration", "retrieval",
    "agents", "prompting", "observability", "cost", "latency", "safety", "security", "careers",
    "hiring", "team structure", "architecture", "workflow", "tooling", "fine-tuning",
    "inference", "data quality", "compaction", "testing", "incidents", "product", "platform",
    "governance", "multi-agent", "long-running tasks",
]  # fmt: skip

SENTENCES = [
    "Most of the work on {concept} is invisible until it fails, usually as {concern}.",
    "Teams that hire {a_role} early tend to treat {concept} as a product surface, not a detail.",
    "A good first month for {a_role} is spent reading traces and writing down where {concern} "
    "starts.",
    "The {role} is judged by {metric}, which is why they give so much attention to {concept}.",
    "In practice {concept} and {concept2} are owned together, because a change to one shows up "
    "in the other.",
    "When traces show {concern}, the fix is rarely a new prompt; it is usually a change to "
    "{concept}.",
    "Small teams often fold this work into another role, then add a dedicated {role} once "
    "{concern} becomes weekly news.",
    "Expect the {role} to argue for measuring {metric} before anyone tunes {concept}.",
    "The best {role}s keep a short list of known failure modes and a replay test for each.",
    "Budgets matter: every improvement to {concept} has a cost in latency or tokens, and the "
    "{role} decides which trade is worth it.",
    "Documentation for {concept} is part of the deliverable, because the next engineer will "
    "debug it at two in the morning.",
    "Shipping is only half the job; the other half is noticing {concern} before users do.",
    "A useful habit is to review {concept2} every time the model version changes.",
    "Interviews for the role lean on real traces: candidates explain what went wrong and where.",
    "The work sits close to {concept2}, so the {role} spends a lot of time with the people "
    "who own it.",
    "Nobody gets {concept} right the first time; what counts is a loop that makes each failure "
    "cheaper than the last.",
]
SHARED_POINTS = [
    "Both care about {concept} and feel it when it breaks.",
    "Either role may end up owning {concept} on a small team.",
    "Both need a working grasp of {concept} to do their own job well.",
    "Decisions about {concept} usually need both of them in the room.",
]
BLURBS = [
    "How {title} fits into the rest of the cluster.",
    "A closer look at {title}, with examples.",
    "Read this next if {concept} is on your roadmap.",
    "The page to share with a new team member.",
    "Where problems like {concern} start, and how teams handle them.",
    "Everything about {title} on one page.",
    "Useful background before you compare roles.",
    "Practical notes on {concept} from teams that run it.",
]
FAQ_QUESTIONS = [
    "What does {a_role} do about {concern}?",
    "How does {a_role} approach {concept}?",
    "Does {a_role} own {concept}?",
    "Which teams need {a_role} for {concept}?",
    "How is {a_role} measured on {metric}?",
    "What should {a_role} learn first about {concept}?",
    "When is {concept} the {role}'s job rather than someone else's?",
    "How do you interview {a_role} on {concept}?",
    "Can {a_role} fix {concern} without changing the model?",
    "What tools does {a_role} use for {concept}?",
    "How much time does {a_role} spend on {concept}?",
    "Is {concept} a good first project for a new {role}?",
    "Who owns {concept} when there is no {role}?",
    "What goes wrong with {concept} without {a_role}?",
    "How does {a_role} explain {concern} to product managers?",
    "Which metrics tell {a_role} that {concept} is working?",
]
# Most questions are asked about a setting; these make the same question a different one.
FAQ_SETTINGS = [
    "in a startup", "in a regulated industry", "on a team of five", "for a customer-support "
    "agent", "for a coding assistant", "during a model migration", "at enterprise scale",
    "for a voice assistant", "in a research lab", "for an internal knowledge base",
    "with a small budget", "for a multi-agent system", "in the first year of a product",
    "for a search product", "with strict latency targets", "when users return every day",
    "for document processing", "in healthcare", "in financial services", "for an online shop",
]  # fmt: skip
FAQ_TOPIC_HINTS = {
    "scale-context": ("context", "prompt", "compaction", "window", "chunking", "history"),
    "scale-memory": ("memory", "session", "state", "checkpoint", "episodic"),
    "scale-evaluation": ("evaluation", "eval", "regression", "golden", "rubric", "label"),
    "scale-operations": ("cost", "latency", "release", "canary", "incident", "rate", "gpu"),
    "scale-safety": ("guardrail", "permission", "pii", "red-team", "audit", "sandbox"),
    "scale-tools": ("tool", "retrieval", "vector", "embedding", "dashboard", "routing"),
}
COMPARISON_DIMENSIONS = [
    "Focus", "Scope", "Time horizon", "Systems owned", "Typical concerns", "Measures of success",
    "Typical first project", "Reports to", "Key skill",
]  # fmt: skip
CLUSTER_SLUGS = [
    ("job-description", "job_description", "{role} Job Description"),
    ("architecture", "architecture", "{role} Architecture"),
    ("workflow", "workflow", "{role} Workflow"),
    ("interview-questions", "guide", "{role} Interview Questions"),
    ("career-path", "guide", "{role} Career Path"),
    ("tools", "guide", "Tools of the {role}"),
    ("first-90-days", "guide", "The First 90 Days as {a_role}"),
    ("reading-list", "guide", "Reading List for the {role}"),
]


@dataclass
class Profile:
    """What a generated role cares about; every text about the role draws on it."""

    concepts: list
    concerns: list
    metrics: list
    systems: list
    skills: list
    horizon: str
    reports_to: str
    project: str
    extra: dict = field(default_factory=dict)


def article(title):
    """ "a" or "an" as the title is spoken: an AI Engineer, an ML Lead, a Data Engineer."""
    first = title.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


def link(target):
    title, path = target
    return f"[{title}]({path})"


class Writer:
    """Produces every piece of generated text from one seeded random source."""

    def __init__(self, rng):
        self.rng = rng

    # Roles ------------------------------------------------------------------------------

    def role_titles(self, count, taken_slugs):
        """``count`` distinct role titles whose slugs are not in ``taken_slugs``."""
        plain = [f"{domain} {function}" for domain in DOMAINS for function in FUNCTIONS]
        self.rng.shuffle(plain)
        levelled = [f"{level} {title}" for level in LEVELS for title in plain]
        self.rng.shuffle(levelled)
        titles, seen = [], set(taken_slugs)
        candidates = plain + levelled
        round_number = 1
        while len(titles) < count:
            for title in candidates:
                if round_number > 1:
                    title = f"{title} {round_number}"
                slug = slugify(title)
                if slug not in seen:
                    seen.add(slug)
                    titles.append(title)
                    if len(titles) == count:
                        break
            round_number += 1
        return titles

    def profile(self):
        rng = self.rng
        return Profile(
            concepts=rng.sample(CONCEPTS, 5),
            concerns=rng.sample(CONCERNS, 3),
            metrics=rng.sample(METRICS, 3),
            systems=rng.sample(SYSTEMS, 3),
            skills=rng.sample(SKILLS, 4),
            horizon=rng.choice(HORIZONS),
            reports_to=rng.choice(TEAMS),
            project=rng.choice(PROJECTS),
        )

    def sentence(self, role, profile, template=None):
        template = template or self.rng.choice(SENTENCES)
        concept, concept2 = self.rng.sample(profile.concepts, 2)
        return template.format(
            role=role,
            a_role=f"{article(role)} {role}",
            concept=concept,
            concept2=concept2,
            concern=self.rng.choice(profile.concerns),
            metric=self.rng.choice(profile.metrics),
        )

    def paragraph(self, role, profile, sentences=(3, 5), links=()):
        templates = self.rng.sample(SENTENCES, self.rng.randint(*sentences))
        parts = [self.sentence(role, profile, template) for template in templates]
        if links:
            parts.append(
                f"For more, see {self._join([link(target) for target in links])}."
                if len(links) > 1
                else f"The page on {link(links[0])} goes further."
            )
        return " ".join(parts)

    def role_summary(self, profile):
        return (
            f"Owns {profile.systems[0]} and {profile.systems[1]}, with a close eye on "
            f"{profile.concepts[0]}."
        )

    def role_lead(self, title, profile):
        return (
            f"{article(title).capitalize()} {title} works on {profile.concepts[0]} and "
            f"{profile.concepts[1]}, and is usually the first to hear about "
            f"{profile.concerns[0]}. This page explains what the role owns and how it fits "
            f"next to the roles around it."
        )

    def role_body(self, title, profile, *, links):
        rows = "\n".join(f"| {skill} | {why.capitalize()}. |" for skill, why in profile.skills)
        duties = "\n".join(
            f"- Owning {system}, including its tests and on-call notes."
            for system in profile.systems
        )
        return (
            f"## What {article(title)} {title} does\n\n"
            f"{self.paragraph(title, profile)}\n\n"
            f"## Responsibilities\n\n{duties}\n"
            f"- Tracking {profile.metrics[0]} and explaining every change in it.\n"
            f"- Turning {profile.concerns[0]} into a reproducible test.\n\n"
            f"## Skills and tools\n\n| Skill | Why it matters |\n|---|---|\n{rows}\n\n"
            f"### Day to day\n\n{self.paragraph(title, profile, links=links[:2])}\n\n"
            f"## How the role relates to others\n\n"
            f"{self.paragraph(title, profile, sentences=(2, 3), links=links[2:5])}\n"
        )

    def next_step(self, targets):
        if not targets:
            return ""
        return (
            f"Continue with {link(targets[0])}"
            + (f", then {self._join([link(t) for t in targets[1:]])}" if len(targets) > 1 else "")
            + ", to see the same questions from another angle."
        )

    def seo_description(self, title, profile):
        text = (
            f"{title}: what the role covers, from {profile.concepts[0]} to "
            f"{profile.concepts[1]}, and how teams measure it."
        )
        return (
            text
            if len(text) <= META_DESCRIPTION_MAX
            else f"{title}: scope, skills and how teams measure it."[:META_DESCRIPTION_MAX]
        )

    # Cluster pages ----------------------------------------------------------------------

    def page_lead(self, title, role, profile):
        return (
            f"{title} for teams working on {profile.concepts[2]}: what matters, what goes wrong "
            f"and how the {role} handles it."
        )

    def page_body(self, page_kind, role, profile, *, links):
        if page_kind == "job_description":
            return self._job_description(role, profile, links)
        if page_kind == "architecture":
            return self._architecture(role, profile, links)
        if page_kind == "workflow":
            return self._workflow(role, profile, links)
        return self._guide(role, profile, links)

    def _job_description(self, role, profile, links):
        must = "\n".join(f"- {skill}: {why}." for skill, why in profile.skills[:3])
        loop = "\n".join(
            f"| {stage} | {minutes} min | {focus} |"
            for stage, minutes, focus in [
                ("Screen", 30, f"Experience with {profile.concepts[0]}"),
                ("Trace review", 60, f"Diagnosing {profile.concerns[0]} from a real trace"),
                ("System design", 60, f"Designing {profile.systems[0]}"),
                ("Team fit", 45, f"Working with {profile.reports_to}"),
            ]
        )
        return (
            f"## About the role\n\n{self.paragraph(role, profile)}\n\n"
            f"## Responsibilities\n\n"
            + "\n".join(f"- Own {system}." for system in profile.systems)
            + f"\n- Report on {profile.metrics[0]} every week.\n\n"
            f"## Requirements\n\n{must}\n\n"
            f"## Interview loop\n\n| Stage | Length | What it covers |\n|---|---|---|\n{loop}\n\n"
            f"## Related reading\n\n"
            f"{self.paragraph(role, profile, sentences=(1, 2), links=links)}\n"
        )

    def _architecture(self, role, profile, links):
        layers = "\n".join(
            f"| {system.removeprefix('the ').capitalize()} | {concept.capitalize()} | "
            f"{concern.capitalize()} |"
            for system, concept, concern in zip(
                profile.systems, profile.concepts, profile.concerns, strict=False
            )
        )
        sections = "\n\n".join(
            f"### {system.removeprefix('the ').capitalize()}\n\n{self.paragraph(role, profile)}"
            for system in profile.systems
        )
        return (
            f"## How the parts fit together\n\n{self.paragraph(role, profile)}\n\n"
            f"| Layer | What it owns | Typical failure |\n|---|---|---|\n{layers}\n\n"
            f"## The layers one by one\n\n{sections}\n\n"
            f"## Where to go from here\n\n"
            f"{self.paragraph(role, profile, sentences=(1, 2), links=links)}\n"
        )

    def _workflow(self, role, profile, links):
        steps = [
            f"Collect traces where {profile.concerns[0]} shows up.",
            f"Reproduce the failure with a replay test against {profile.systems[0]}.",
            f"Change {profile.concepts[0]} and rerun the evaluation set.",
            f"Compare {profile.metrics[0]} before and after.",
            "Ship behind a flag and watch the first day of traffic.",
        ]
        numbered = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
        return (
            f"## The loop\n\n{self.paragraph(role, profile)}\n\n{numbered}\n\n"
            f"## A worked example\n\n{self.paragraph(role, profile, sentences=(4, 6))}\n\n"
            f"### What to check before shipping\n\n"
            + "\n".join(
                f"- [ ] {concept.capitalize()} reviewed" for concept in profile.concepts[:4]
            )
            + f"\n\n## Next\n\n{self.paragraph(role, profile, sentences=(1, 2), links=links)}\n"
        )

    def _guide(self, role, profile, links):
        return (
            f"## Why it matters\n\n{self.paragraph(role, profile)}\n\n"
            f"## {profile.concepts[1].capitalize()} in practice\n\n"
            f"{self.paragraph(role, profile, sentences=(4, 6))}\n\n"
            f"### Common mistakes\n\n"
            + "\n".join(
                f"- Ignoring {concern} until users report it." for concern in profile.concerns
            )
            + f"\n\n## Further reading\n\n"
            f"{self.paragraph(role, profile, sentences=(1, 2), links=links)}\n"
        )

    def guide_title(self, taken_slugs):
        for _ in range(1000):
            concept = self.rng.choice(CONCEPTS)
            pattern = self.rng.choice(
                [
                    "A Practical Guide to {c}",
                    "{c}: Patterns and Pitfalls",
                    "Getting {c} Right",
                    "{c} for Growing Teams",
                    "What Changes with {c} at Scale",
                    "Designing {c}",
                ]
            )
            title = pattern.format(c=concept[0].upper() + concept[1:])
            if slugify(title) not in taken_slugs:
                return title
        number = len(taken_slugs) + 1
        return f"Field Notes {number}"

    # Comparisons ------------------------------------------------------------------------

    def comparison_fields(self, a_title, a_profile, b_title, b_profile, *, links):
        shared = sorted(set(a_profile.concepts) & set(b_profile.concepts)) or [
            a_profile.concepts[0],
            b_profile.concepts[0],
        ]
        body = (
            f"## Where the roles differ in practice\n\n"
            f"{self.paragraph(a_title, a_profile, sentences=(2, 3))} "
            f"{self.paragraph(b_title, b_profile, sentences=(2, 3))}\n\n"
            f"### The same incident, two views\n\n"
            f"Take {self.rng.choice(CONCERNS)}. The {a_title} looks first at "
            f"{a_profile.systems[0]}; the {b_title} starts from {b_profile.systems[0]}. "
            f"Both are right, and the fix usually needs both.\n\n"
            f"| Situation | Who leads | Who helps |\n|---|---|---|\n"
            f"| {a_profile.concerns[0].capitalize()} | {a_title} | {b_title} |\n"
            f"| {b_profile.concerns[0].capitalize()} | {b_title} | {a_title} |\n"
            f"| A new model version | Both | The product team |\n\n"
            f"## Working together\n\n"
            f"{self.paragraph(a_title, a_profile, sentences=(1, 2), links=links)}\n"
        )
        return {
            "lead": (
                f"The {a_title} and the {b_title} often sit in the same team and share "
                f"{shared[0]}. They differ in where each goes deep: {a_profile.concepts[0]} for "
                f"one, {b_profile.concepts[0]} for the other."
            ),
            "shared_heading": self.rng.choice(
                [
                    "What both roles share",
                    "Common ground",
                    "Both work on AI products",
                    "Where the roles overlap",
                ]
            ),
            "role_a_summary": self._side(a_title, a_profile),
            "role_b_summary": self._side(b_title, b_profile),
            "verdict": (
                f"Neither role replaces the other. Pick the {a_title} when "
                f"{a_profile.concerns[0]} is your biggest problem, the {b_title} when it is "
                f"{b_profile.concerns[0]}. Products that run long sessions usually need both."
            ),
            "body": body,
            "shared_points": [
                self.rng.choice(SHARED_POINTS).format(concept=concept)
                for concept in shared[: self.rng.randint(2, 4)]
            ]
            + [
                "Neither role is purely theoretical: the work shows up in how the product performs."
            ],
            "rows": self._rows(a_profile, b_profile),
            "seo_description": (
                f"{a_title} vs {b_title}: focus, scope, systems owned and what each role is "
                f"measured by."
            )[:META_DESCRIPTION_MAX],
        }

    def _side(self, title, profile):
        return (
            f"The {title} concentrates on {profile.concepts[0]} and {profile.concepts[1]}. "
            f"{self.sentence(title, profile)}"
        )

    def _rows(self, a, b):
        count = self.rng.randint(5, len(COMPARISON_DIMENSIONS))
        dimensions = COMPARISON_DIMENSIONS[:count]
        return [(d, self._cell(d, a), self._cell(d, b)) for d in dimensions]

    def _cell(self, dimension, p):
        return {
            "Focus": f"{p.concepts[0].capitalize()}, {p.concepts[1]} and {p.concepts[2]}.",
            "Scope": self.rng.choice(
                [
                    f"Deep and narrow: {p.systems[0]} and what depends on it.",
                    f"Broad: from {p.concepts[3]} to {p.systems[1]}.",
                    f"Shared services used by several teams, starting with {p.systems[2]}.",
                ]
            ),
            "Time horizon": p.horizon,
            "Systems owned": f"{p.systems[0].capitalize()}, {p.systems[1]} and {p.systems[2]}.",
            "Typical concerns": (
                f"{p.concerns[0].capitalize()}, {p.concerns[1]} and {p.concerns[2]}."
            ),
            "Measures of success": f"{p.metrics[0].capitalize()} and {p.metrics[1]}.",
            "Typical first project": p.project,
            "Reports to": p.reports_to.capitalize() + ".",
            "Key skill": f"{p.skills[0][0]}, because {p.skills[0][1]}.",
        }[dimension]

    # FAQs -------------------------------------------------------------------------------

    def faq_question(self, role, profile):
        template = self.rng.choice(FAQ_QUESTIONS)
        # Mostly the role's own concerns, sometimes anything in the field.
        concepts = profile.concepts if self.rng.random() < 0.5 else CONCEPTS
        question = template.format(
            role=role,
            a_role=f"{article(role)} {role}",
            concept=self.rng.choice(concepts),
            concern=self.rng.choice(profile.concerns),
            metric=self.rng.choice(profile.metrics),
        )
        # A setting reads well after most questions, not after those that end in a clause.
        if self.rng.random() < 0.8 and not template.endswith(("else's?", "model?")):
            question = f"{question[:-1]} {self.rng.choice(FAQ_SETTINGS)}?"
        return question

    def faq_answer(self, role, profile, *, links):
        answer = self.paragraph(role, profile, sentences=(2, 3), links=links)
        if self.rng.random() < 0.2:
            items = "\n".join(f"- {concept.capitalize()}" for concept in profile.concepts[:3])
            answer += f"\n\nThe usual starting points:\n\n{items}"
        return answer

    def faq_topic(self, question):
        lowered = question.lower()
        for slug, hints in FAQ_TOPIC_HINTS.items():
            if any(hint in lowered for hint in hints):
                return slug
        return self.rng.choice(["scale-roles-and-teams", "scale-careers"])

    # Cards ------------------------------------------------------------------------------

    def blurb(self, title, profile):
        return self.rng.choice(BLURBS).format(
            title=title,
            concept=self.rng.choice(profile.concepts),
            concern=self.rng.choice(profile.concerns),
        )

    def tags(self, low=2, high=5):
        return self.rng.sample(TAGS, self.rng.randint(low, high))

    @staticmethod
    def _join(parts):
        if len(parts) < 2:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " and " + parts[-1]
