// Pseudonymises a nominative extract in the browser, with the rules of
// uploads/transfers/pseudonymisation.py (PIPASE annex 1): the file is read here, its names and birth
// dates never leave the page, and the pseudonymised CSV is offered as a download made on the spot and,
// to a person a data-transfer convention designates, as the file of that convention's upload form.
"use strict";

(() => {
  const root = document.querySelector("[data-pseudonymise]");
  if (!root) return;
  const MESSAGES = JSON.parse(document.getElementById("pseudonymise-messages").textContent);
  const say = (key, values = {}) => MESSAGES[key].replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));

  class Refusal extends Error {}

  // ------------------------------------------------------------------ the rules (see the Python module)

  const KEY_COLUMNS = ["cle_primaire", "cle_secondaire", "mois_naissance", "annee_naissance"];
  const SPECIAL_LETTERS = {
    "Œ": "OE", "œ": "OE", "Æ": "AE", "æ": "AE", "ß": "SS", "ẞ": "SS", "Ø": "O", "ø": "O",
    "Ł": "L", "ł": "L", "Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "ı": "I",
  };
  const PLAIN_LETTER = /^[A-Za-z]$/;
  const MARK = /^\p{M}$/u;
  const LETTER = /^\p{L}$/u;

  // A workbook's date cell (the Python side reads it as a date or a datetime).
  class CellDate {
    constructor(year, month, day, seconds = 0) {
      Object.assign(this, { year, month, day, seconds });
    }
  }

  const pad = (number, width = 2) => String(number).padStart(width, "0");

  function normaliseName(value, what) {
    const text = value === null || value === undefined ? "" : String(value);
    const replaced = Array.from(text, (character) => SPECIAL_LETTERS[character] ?? character).join("");
    let letters = "";
    for (const character of replaced.normalize("NFKD")) {
      if (PLAIN_LETTER.test(character)) {
        letters += character.toUpperCase();
      } else if (!MARK.test(character) && LETTER.test(character)) {
        throw new Refusal(say("not_latin", { what, value: text.trim(), letter: character }));
      }
    }
    if (!letters) throw new Refusal(say("no_letter", { what, value: text.trim() }));
    return letters;
  }

  const DATE_FORMATS = [ // [pattern, positions of day, month, year]
    [/^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/, [0, 1, 2]], // JJ/MM/AAAA
    [/^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})$/, [0, 1, 2]], // JJ-MM-AAAA
    [/^([0-9]{4})-([0-9]{2})-([0-9]{2})$/, [2, 1, 0]], // AAAA-MM-JJ
    [/^([0-9]{4})\/([0-9]{1,2})\/([0-9]{1,2})$/, [1, 2, 0]], // AAAA/JJ/MM, the annex's example
  ];

  function daysInMonth(year, month) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  }

  function parseDate(value) {
    if (value instanceof CellDate) return value;
    const text = value === null || value === undefined ? "" : String(value).trim();
    for (const [pattern, [day, month, year]] of DATE_FORMATS) {
      const found = pattern.exec(text);
      if (!found) continue;
      const parts = found.slice(1).map(Number);
      const [d, m, y] = [parts[day], parts[month], parts[year]];
      if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
        throw new Refusal(say("date_impossible", { value: text }));
      }
      return new CellDate(y, m, d);
    }
    if (!text) throw new Refusal(say("date_empty"));
    throw new Refusal(say("date_shape", { value: text }));
  }

  async function sha256(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  async function pseudonymise(name, firstName, birthDate) {
    const nom = normaliseName(name, MESSAGES.name);
    const prenom = normaliseName(firstName, MESSAGES.first_name);
    const born = parseDate(birthDate);
    const [day, month, year] = [pad(born.day), pad(born.month), pad(born.year, 4)];
    return [await sha256(`${nom}${prenom}${day}${month}${year}`), await sha256(`${nom}${month}${year}`), month, year];
  }

  function minimiseDate(value) {
    if (!(value instanceof CellDate) && (value === null || String(value).trim() === "")) return "";
    const found = parseDate(value);
    return `${pad(found.year, 4)}-${pad(found.month)}`;
  }

  function asText(value) {
    if (value === null || value === undefined) return "";
    if (value instanceof CellDate) {
      const day = `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)}`;
      if (!value.seconds) return day;
      const [h, m, s] = [Math.floor(value.seconds / 3600), Math.floor(value.seconds / 60) % 60, value.seconds % 60];
      return `${day} ${pad(h)}:${pad(m)}:${pad(s)}`;
    }
    if (typeof value === "boolean") return value ? "True" : "False";
    return String(value);
  }

  // Whether a cell repeats the person's name, first name or birth date, however written.
  function reveals(value, person) {
    if (asText(value).trim() === "") return false;
    const attempt = (read) => {
      try {
        return read();
      } catch (error) {
        if (error instanceof Refusal) return undefined;
        throw error;
      }
    };
    const date = attempt(() => parseDate(value));
    if (date) return ["year", "month", "day"].every((part) => date[part] === person.born[part]);
    return person.names.includes(attempt(() => normaliseName(value, "")));
  }

  async function pseudonymiseTable(rows, mapping) {
    if (!rows.length) throw new Refusal(say("empty_file"));
    const labels = rows[0].map((label) => asText(label).trim());
    const identifying = new Set([mapping.name, mapping.firstName, mapping.birthDate]);
    const kept = [...mapping.keep, ...mapping.minimise];
    const shared = kept.filter((column) => identifying.has(column)).sort();
    if (shared.length) throw new Refusal(say("shared", { column: shared[0] }));
    const at = new Map([...identifying, ...kept].map((column) => [column, labels.indexOf(column)]));
    const table = [];
    for (let index = 1; index < rows.length; index += 1) {
      const row = rows[index];
      const line = index + 1;
      if (row.every((cell) => asText(cell).trim() === "")) continue;
      const cell = (column) => (at.get(column) < row.length ? row[at.get(column)] : null);
      let keys;
      try {
        keys = await pseudonymise(cell(mapping.name), cell(mapping.firstName), cell(mapping.birthDate));
      } catch (error) {
        throw error instanceof Refusal ? new Refusal(say("line", { line, error: error.message })) : error;
      }
      const person = {
        names: [normaliseName(cell(mapping.name), ""), normaliseName(cell(mapping.firstName), "")],
        born: parseDate(cell(mapping.birthDate)),
      };
      const values = kept.map((column) => {
        if (!mapping.minimise.includes(column)) {
          if (reveals(cell(column), person)) throw new Refusal(say("reveals", { line, column }));
          return asText(cell(column));
        }
        try {
          return minimiseDate(cell(column));
        } catch (error) {
          throw error instanceof Refusal ? new Refusal(say("line_column", { line, column, error: error.message })) : error;
        }
      });
      table.push([...keys, ...values]);
    }
    return [[...KEY_COLUMNS, ...kept], table];
  }

  // As Python's csv module writes it: separator ;, a value quoted when it holds ; " or a line break.
  function csvText(rows) {
    const field = (value) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    return rows.map((row) => `${row.map(field).join(";")}\r\n`).join("");
  }

  // ------------------------------------------------------------------ reading the file

  const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

  async function readExtract(file) {
    const buffer = await file.arrayBuffer();
    const start = new Uint8Array(buffer, 0, Math.min(4, buffer.byteLength));
    if (ZIP_SIGNATURE.every((byte, index) => start[index] === byte)) {
      try {
        return await readWorkbook(buffer);
      } catch (error) {
        if (error instanceof Refusal) throw error;
        throw new Refusal(say("unreadable"));
      }
    }
    return readCsv(buffer);
  }

  // The parts of a zip archive, by name, inflated with the browser's own DecompressionStream.
  function zipParts(buffer) {
    const view = new DataView(buffer);
    const bytes = new Uint8Array(buffer);
    const names = new TextDecoder();
    let end = buffer.byteLength - 22;
    while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
    if (end < 0) throw new Refusal(say("unreadable"));
    const entries = new Map();
    let at = view.getUint32(end + 16, true);
    for (let count = view.getUint16(end + 10, true); count > 0; count -= 1) {
      if (view.getUint32(at, true) !== 0x02014b50) throw new Refusal(say("unreadable"));
      const nameLength = view.getUint16(at + 28, true);
      entries.set(names.decode(bytes.subarray(at + 46, at + 46 + nameLength)), {
        method: view.getUint16(at + 10, true),
        size: view.getUint32(at + 20, true),
        offset: view.getUint32(at + 42, true),
      });
      at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    return async (name) => {
      const entry = entries.get(name);
      if (!entry) return null;
      const local = entry.offset;
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = bytes.subarray(start, start + entry.size);
      if (entry.method === 0) return new TextDecoder().decode(data);
      if (entry.method !== 8) throw new Refusal(say("unreadable"));
      const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Response(stream).text();
    };
  }

  function xml(text) {
    if (text === null) return null;
    const document = new DOMParser().parseFromString(text, "application/xml");
    if (document.getElementsByTagName("parsererror").length) throw new Refusal(say("unreadable"));
    return document;
  }

  const all = (node, name) => (node ? Array.from(node.getElementsByTagNameNS("*", name)) : []);
  const partPath = (target) => (target.startsWith("/") ? target.slice(1) : `xl/${target}`);

  const BUILT_IN_DATE_FORMATS = [[14, 22], [27, 36], [45, 47], [50, 58], [71, 81]];

  function isDateFormat(id, code) {
    if (code === undefined) return BUILT_IN_DATE_FORMATS.some(([low, high]) => id >= low && id <= high);
    return /[dmyhs]/i.test(code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, ""));
  }

  function dateStyles(styles) {
    const codes = new Map(all(styles, "numFmt").map((format) => [
      Number(format.getAttribute("numFmtId")), format.getAttribute("formatCode"),
    ]));
    const cellFormats = all(styles, "cellXfs")[0];
    return all(cellFormats, "xf").map((xf) => {
      const id = Number(xf.getAttribute("numFmtId") || 0);
      return isDateFormat(id, codes.get(id));
    });
  }

  function serialDate(serial, date1904) {
    const days = Math.floor(serial);
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
    const day = new Date(epoch + days * 86400000);
    const seconds = Math.round((serial - days) * 86400);
    return new CellDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), seconds);
  }

  function columnIndex(reference) {
    let index = 0;
    for (const letter of reference.replace(/[0-9]+$/, "")) index = index * 26 + letter.charCodeAt(0) - 64;
    return index - 1;
  }

  const texts = (node) => all(node, "t").filter((t) => t.parentNode.localName !== "rPh").map((t) => t.textContent).join("");

  // The first sheet, as rows of text, numbers, booleans and dates (row 1 first, blank rows kept).
  async function readWorkbook(buffer) {
    const part = zipParts(buffer);
    const workbook = xml(await part("xl/workbook.xml"));
    const relations = xml(await part("xl/_rels/workbook.xml.rels"));
    const firstSheet = all(workbook, "sheet")[0];
    if (!firstSheet) throw new Refusal(say("unreadable"));
    const relationId = Array.from(firstSheet.attributes).find((a) => a.localName === "id" && a.namespaceURI).value;
    const target = (test) => all(relations, "Relationship").find(test)?.getAttribute("Target");
    const sheet = xml(await part(partPath(target((r) => r.getAttribute("Id") === relationId))));
    const sharedTarget = target((r) => r.getAttribute("Type").endsWith("/sharedStrings"));
    const shared = all(xml(sharedTarget ? await part(partPath(sharedTarget)) : null), "si").map(texts);
    const stylesTarget = target((r) => r.getAttribute("Type").endsWith("/styles"));
    const dates = dateStyles(xml(stylesTarget ? await part(partPath(stylesTarget)) : null));
    const date1904 = ["1", "true"].includes(all(workbook, "workbookPr")[0]?.getAttribute("date1904"));
    const rows = [];
    for (const row of all(sheet, "row")) {
      const number = Number(row.getAttribute("r")) || rows.length + 1;
      while (rows.length < number) rows.push([]);
      const cells = rows[number - 1];
      for (const cell of Array.from(row.children).filter((c) => c.localName === "c")) {
        const reference = cell.getAttribute("r");
        const index = reference ? columnIndex(reference) : cells.length;
        while (cells.length < index) cells.push(null);
        const value = all(cell, "v")[0]?.textContent;
        const type = cell.getAttribute("t") || "n";
        let read = null;
        if (type === "s") read = shared[Number(value)] ?? "";
        else if (type === "inlineStr") read = texts(cell);
        else if (type === "b") read = value === "1";
        else if (value === undefined) read = null;
        else if (type === "n" && dates[Number(cell.getAttribute("s") || 0)]) read = serialDate(Number(value), date1904);
        else if (type === "n") read = Number(value);
        else read = value;
        cells[index] = read;
      }
    }
    return rows;
  }

  function readCsv(buffer) {
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
    } catch {
      text = new TextDecoder("windows-1252").decode(buffer);
    }
    if (text.includes("\u0000")) throw new Refusal(say("not_text"));
    const firstLine = text.split("\n", 1)[0];
    const count = (separator) => firstLine.split(separator).length - 1;
    const delimiter = count(",") > count(";") ? "," : ";";
    const rows = [];
    let row = [];
    let field = "";
    let quoted = false;
    let started = false; // the line holds something, even an empty field
    for (let index = 0; index < text.length; index += 1) {
      const character = text[index];
      if (quoted) {
        if (character === '"' && text[index + 1] === '"') {
          field += '"';
          index += 1;
        } else if (character === '"') {
          quoted = false;
        } else {
          field += character;
        }
      } else if (character === '"' && field === "") {
        quoted = true;
        started = true;
      } else if (character === delimiter) {
        row.push(field);
        field = "";
        started = true;
      } else if (character === "\r" || character === "\n") {
        if (started || field) row.push(field);
        rows.push(row);
        [row, field, started] = [[], "", false];
        if (character === "\r" && text[index + 1] === "\n") index += 1;
      } else {
        field += character;
        started = true;
      }
    }
    if (started || field) {
      row.push(field);
      rows.push(row);
    }
    return rows;
  }

  // ------------------------------------------------------------------ the page

  const fileInput = root.querySelector("#pseudonymise-file");
  const readStatus = root.querySelector("[data-pseudonymise-read]");
  const errorBox = root.querySelector("[data-pseudonymise-error]");
  const form = root.querySelector("[data-pseudonymise-mapping]");
  const keySelects = Array.from(form.querySelectorAll("select[data-key]"));
  const columnList = form.querySelector("[data-pseudonymise-columns]");
  const columnTemplate = form.querySelector("template[data-pseudonymise-column]");
  const result = root.querySelector("[data-pseudonymise-result]");
  const download = root.querySelector("[data-pseudonymise-download]");
  const upload = root.querySelector("[data-pseudonymise-upload]");
  const GUESSES = {
    name: (label) => /nom/i.test(label) && !/pr[ée]nom/i.test(label),
    first_name: (label) => /pr[ée]nom/i.test(label),
    birth_date: (label) => /date/i.test(label) && /naiss/i.test(label),
  };
  let extract = null;

  document.querySelector("[data-pseudonymise-nojs]").hidden = true;
  root.hidden = false;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function showColumns(labels) {
    for (const select of keySelects) {
      select.querySelectorAll("option:not([value=''])").forEach((option) => option.remove());
      for (const label of labels) select.add(new Option(label, label));
      select.value = labels.find(GUESSES[select.dataset.key]) ?? "";
    }
    columnList.replaceChildren();
    labels.forEach((label, index) => {
      const field = columnTemplate.content.cloneNode(true);
      const select = field.querySelector("select");
      select.id = `pseudonymise-column-${index}`;
      select.dataset.column = label;
      field.querySelector("label").htmlFor = select.id;
      field.querySelector("label").textContent = label;
      columnList.append(field);
    });
  }

  // Choosing the same file again, once corrected, must read it again: an unchanged value fires no change.
  fileInput.addEventListener("click", () => {
    fileInput.value = "";
  });

  fileInput.addEventListener("change", async () => {
    [form.hidden, result.hidden] = [true, true];
    showError("");
    readStatus.textContent = "";
    extract = null;
    const file = fileInput.files[0];
    if (!file) return;
    try {
      const rows = await readExtract(file);
      if (!rows.length) throw new Refusal(say("empty_file"));
      const labels = rows[0].map((label) => asText(label).trim()).filter((label) => label);
      extract = { rows, name: file.name.replace(/\.[^.]*$/, "") };
      readStatus.textContent = say("read", { count: rows.length - 1, columns: labels.length });
      showColumns([...new Set(labels)]);
      form.hidden = false;
    } catch (error) {
      showError(error instanceof Refusal ? error.message : say("unreadable"));
    }
  });

  function showPreview(header, table) {
    const preview = root.querySelector("[data-pseudonymise-preview]");
    preview.tHead.rows[0].replaceChildren(...header.map((label) => {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = label;
      return cell;
    }));
    preview.tBodies[0].replaceChildren(...table.slice(0, 10).map((values) => {
      const row = document.createElement("tr");
      for (const value of values) row.insertCell().textContent = value;
      return row;
    }));
  }

  // The upload form posts the pseudonymised file alone, to the convention's own upload page, which
  // checks it: the nominative file is in no field of the form.
  function attachToUpload(file) {
    const files = new DataTransfer();
    files.items.add(file);
    upload.querySelector("[data-pseudonymise-upload-file]").files = files.files;
  }

  if (upload) {
    const convention = upload.querySelector("select[name=partner]");
    const aim = () => {
      upload.action = convention.selectedOptions[0].dataset.action;
    };
    convention.addEventListener("change", aim);
    aim();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!extract) return;
    const [name, firstName, birthDate] = keySelects.map((select) => select.value);
    const columns = Array.from(columnList.querySelectorAll("select"));
    const chosen = (choice) => columns.filter((s) => s.value === choice).map((s) => s.dataset.column);
    showError("");
    result.hidden = true;
    try {
      const [header, table] = await pseudonymiseTable(extract.rows, {
        name, firstName, birthDate, keep: chosen("keep"), minimise: chosen("minimise"),
      });
      const made = new File([csvText([header, ...table])], `${extract.name}-pseudonymise.csv`, {
        type: "text/csv;charset=utf-8",
      });
      if (download.href.startsWith("blob:")) URL.revokeObjectURL(download.href);
      download.href = URL.createObjectURL(made);
      download.download = made.name;
      if (upload) attachToUpload(made);
      showPreview(header, table);
      root.querySelector("[data-pseudonymise-done]").textContent = say("done", { count: table.length });
      result.hidden = false;
      result.querySelector("h2").focus();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      showError(error.message);
      errorBox.scrollIntoView({ block: "center" });
    }
  });
})();
