// A batch judges a pair by the fullest version of its shorter side (link.ts byFullestVersion): a
// truncated copy that shares two reused background sentences with another story holds them as half
// of its text, but its own story's full version does not, and the pair stays apart. The stories
// are made up for this test.
import { describe, expect, it } from "vitest";
import { dedupe, explain } from "../src/index.js";

// Two background sentences a newsroom reuses in unrelated stories about the same authority.
const BACKGROUND_1 =
  "The regional transport authority, which was created in 1998 to coordinate ferries, buses and the two commuter rail lines, has been without a permanent director since the spring.";
const BACKGROUND_2 =
  "Its annual budget of about 240 million euros is set by a board of eleven members appointed by the provinces and the three largest cities.";

const HARBOUR = [
  "Harbour plan approved after long dispute",
  "Dredging of the old harbour channel will begin in October after the city council approved the plan on Tuesday by a narrow margin of two votes.",
  "Supporters say deeper water will let larger cargo vessels dock without waiting for the tide. Opponents fear that silt stirred up by the work will smother the mussel beds north of the breakwater.",
  "The contractor, a consortium of two dredging firms, expects the first phase to take eleven months. Barges will carry the spoil to a licensed site far out at sea.",
  "Fishermen who moor inside the harbour will be moved to temporary pontoons near the lighthouse while the machines work along the quay.",
  `A ferry link to the islands also uses the channel. ${BACKGROUND_1} ${BACKGROUND_2}`,
  "Environmental groups have asked a court to review the permit, arguing that the study of the mussel beds was done in winter, when the shellfish are dormant.",
  "The mayor said she was confident the permit would stand and promised monthly reports on water quality during the work.",
  "A public meeting on the timetable is planned for next month in the maritime museum.",
].join("\n\n");

const NIGHT_BUS = [
  "Night bus drivers walk out over rosters",
  `Drivers on the night bus network stopped work at midnight on Friday in protest against new rosters that they say leave them too little rest between shifts. ${BACKGROUND_1}`,
  `${BACKGROUND_2} The union representing the drivers says the rosters were drawn up without consulting anyone who actually drives at night.`,
  "About forty routes were affected, and passengers leaving the city centre after the bars closed queued for taxis well into the early morning.",
  "A spokesman for the operator said talks would resume on Monday and that a mediator had been asked to attend.",
  "Hospital staff who rely on the late buses to reach their wards were among those stranded, according to a nurses' association.",
  "The drivers plan to walk out again next weekend unless the old rosters are restored while negotiations continue.",
  "Some students organised shared rides through a messaging group to get home from the university district safely.",
  "The operator has hired extra minibuses from a private firm to cover the busiest routes if the second strike goes ahead.",
  "Late shifts at the airport start before the first trains run, and cleaners there say they will have to sleep at work if the buses stop again.",
  "The city's night mayor, a post created two years ago to look after bars, clubs and late workers, called for both sides to accept the mediator's first proposal.",
  "Drivers earn a small supplement for each night shift, but the union says it has not kept pace with the cost of living since it was last raised.",
].join("\n\n");

/** The headline and the first `paragraphs` paragraphs: a site that ran the start of the story. */
const truncated = (text: string, paragraphs: number) => text.split("\n\n").slice(0, 1 + paragraphs).join("\n\n");

const groups = (docs: ReadonlyArray<{ id: string; text: string }>) =>
  dedupe(docs)
    .clusters.map((c) => c.members.map((m) => m.id).sort().join("+"))
    .sort();

describe("a pair judged by the fullest version of its shorter side", () => {
  const harbour = { id: "harbour", text: HARBOUR };
  const bus = { id: "bus", text: NIGHT_BUS };
  const busShort = { id: "bus-short", text: truncated(NIGHT_BUS, 2) };
  const harbourShort = { id: "harbour-short", text: truncated(HARBOUR, 2) };

  it("keeps apart a truncated copy whose text is half reused sentences another story also holds", () => {
    // Alone, the pair passes: the two sentences are half of the truncated copy's narrative.
    const pair = explain(busShort, harbour);
    expect(pair.copy).toBe(true);
    expect(pair.scores.containment).toBeGreaterThanOrEqual(0.4);
    // Its own story's full version holds the same two sentences, and is no copy of the harbour story.
    expect(explain(bus, harbour).copy).toBe(false);
    expect(groups([harbour, bus, busShort])).toEqual(["bus+bus-short", "harbour"]);
  });

  it("still merges truncated copies with their own stories, whatever the input order", () => {
    const docs = [harbour, bus, busShort, harbourShort];
    const expected = ["bus+bus-short", "harbour+harbour-short"];
    expect(groups(docs)).toEqual(expected);
    expect(groups([...docs].reverse())).toEqual(expected);
  });

  it("merges the truncated copy with the other story when its own full version is not in the batch", () => {
    // Without a fuller version, the pair's own evidence is all there is.
    expect(groups([harbour, busShort])).toEqual(["bus-short+harbour"]);
  });

  it("keeps a truncated copy that lies inside the other side, even when a longer roundup page also holds it", () => {
    // The roundup holds the truncated copy between two briefs of its own: it has the most
    // narrative, but the full story holds all of the truncated copy, so it is a fuller version too.
    const roundup = {
      id: "roundup",
      text: [
        "Weekend roundup",
        "A pottery market returns to the cathedral square on Saturday with more than sixty stalls from across the province. Organisers expect twice last year's crowd now that the square has been repaved and the fountain restored.",
        "Children under twelve can try the wheel for free in a tent near the west door, and a brass band will play through the afternoon if the weather holds.",
        ...truncated(NIGHT_BUS, 2).split("\n\n").slice(1),
        "The botanical garden opens its new glasshouse for tropical plants on Sunday morning. The building took four years and was paid for largely by a bequest from a retired schoolteacher who volunteered there for decades.",
        "Visitors are asked to book a time slot online, because only two hundred people at a time are allowed inside the humid galleries.",
        "A lantern walk along the canal closes the weekend on Sunday evening, starting at the old lock keeper's cottage and ending at the brewery yard.",
        "Walkers should bring warm clothes and sturdy shoes, since the towpath is muddy after the autumn rain and poorly lit beyond the second bridge.",
        "The chess club meets in the library reading room on Saturday afternoon, and beginners are welcome to watch a simultaneous game against the regional champion.",
        "Entry to the chess afternoon is free, though the club asks for a small donation towards new boards and clocks for the junior section.",
      ].join("\n\n"),
    };
    const sizes = (a: { id: string; text: string }, b: { id: string; text: string }) => explain(a, b).documents.map((d) => d.narrativeShingles);
    const [roundupSize, busSize] = sizes(roundup, bus);
    expect(roundupSize).toBeGreaterThan(busSize!);
    expect(explain(roundup, bus).copy).toBe(false);
    const withShort = groups([bus, busShort, roundup]).find((g) => g.split("+").includes("bus-short"))!;
    expect(withShort.split("+")).toContain("bus");
  });

  it("leaves a lead-only copy to the lead rule: a write-through that kept only the lead joins through it", () => {
    const lead = NIGHT_BUS.split("\n\n")[1]!.split(". ")[0]! + ".";
    const leadOnly = { id: "lead-only", text: lead };
    // A later version: the same lead, then a new body.
    const update = {
      id: "update",
      text: [
        "Night bus strike spreads to tram depots",
        lead,
        "Tram crews at two depots joined the action on Saturday evening, leaving the riverside line without service for most of the night.",
        "City officials opened a sports hall near the central station as a warm place to wait for the first morning trains.",
        "Taxi firms raised their weekend fares by a fifth, a move the consumer council called opportunistic and asked the regulator to examine.",
        "Shop owners in the old town said takings were down because evening visitors from the suburbs stayed at home rather than risk the journey back.",
        "A second round of talks between the unions and the operator broke up after an hour without a date for the next meeting.",
      ].join("\n\n"),
    };
    expect(explain(bus, update).copy).toBe(false);
    expect(explain(leadOnly, update).copy).toBe(true);
    expect(groups([bus, update, leadOnly])).toEqual(["bus+lead-only+update"]);
  });
});
