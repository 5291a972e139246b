/** Clock times: 12- and 24-hour readings, a.m./p.m. in any spelling; h:mm is a time, not the ratio h:mm. */
import { describe, it } from "node:test";
import { checkReasons } from "./table.js";

describe("clock times", () => {
  it("reads a.m./p.m. against the 24-hour clock", () => {
    checkReasons([
      ["4:30 p.m.", "16:30", "equal"],
      ["\\text{4:30 p.m.}", "16:30", "equal"],
      ["4:30\\text{ p.m.}", "16:30", "equal"],
      ["4:30 PM", "4:30 p.m.", "equal"],
      ["4:30pm", "16:30", "equal"],
      ["12:00 a.m.", "0:00", "equal"],
      ["12:15 p.m.", "12:15", "equal"],
      ["4 pm", "16:00", "equal"],
      ["9:03:36 a.m.", "9:03:36", "equal"],
      ["12 noon", "12:00 p.m.", "equal"],
      ["12 midnight", "0:00", "equal"],
      ["12:00 midnight", "12:00 p.m.", "different"],
      ["4:30 p.m.", "4:30 a.m.", "different"],
      ["4:30 p.m.", "4:30", "equal"],
      ["4:30 p.m.", "0:30", "different"],
      ["12:00 a.m.", "12:00", "different"],
      ["4:30 p.m.", "4:31 p.m.", "different"],
      ["11:45 p.m.", "11:45 a.m.", "different"],
    ]);
  });
  it("compares two times without a.m./p.m. as times, an hour up to 12 either half of the day", () => {
    checkReasons([
      ["12:00", "1:00", "different"],
      ["10:00", "5:00", "different"],
      ["3:45", "15:45", "equal"],
      ["3:45", "3:45", "equal"],
      ["3:45", "3:46", "different"],
      ["12:30", "0:30", "different"],
    ]);
  });
  it("leaves ratios ratios; a zero part is a score, compared part by part", () => {
    checkReasons([
      ["3:4", "6:8", "equal"],
      ["2:3", "\\frac{2}{3}", "equal"],
      ["3:0", "5:0", "different"],
      ["3:0", "3:0", "equal"],
      ["0:2", "0:4", "different"],
      ["3:0", "6:0", "different"],
    ]);
  });
});
