// Tables that grow: sort by a column (click its header), filter rows by a word. Progressive
// enhancement only: without JavaScript the table is complete and in the server's order.
(() => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  // « 1 234,5 » or « 12 % » as a number; anything else is text.
  const number = (text) => {
    const compact = text.replace(/[\s\u00a0\u202f%€]/g, "").replace(",", ".");
    return /^-?\d+(\.\d+)?$/.test(compact) ? parseFloat(compact) : null;
  };

  const sortBy = (table, index, button) => {
    const body = table.tBodies[0];
    const header = button.closest("th");
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const rows = [...body.rows].filter((row) => row.cells.length > index);
    const key = (row) => row.cells[index].innerText;
    rows.sort((a, b) => {
      const [x, y] = [number(key(a)), number(key(b))];
      const order = x !== null && y !== null ? x - y : key(a).localeCompare(key(b), "fr", { sensitivity: "base" });
      return ascending ? order : -order;
    });
    rows.forEach((row) => body.appendChild(row));
    table.querySelectorAll("thead th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  };

  document.querySelectorAll("table[data-sortable]").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.append(...th.childNodes);
      th.appendChild(button);
      button.addEventListener("click", () => sortBy(table, index, button));
    });
  });

  document.querySelectorAll("[data-filter-for]").forEach((field) => {
    const table = document.getElementById(field.dataset.filterFor);
    const input = field.querySelector("input");
    const count = field.querySelector("[data-filter-count]");
    field.hidden = false;
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      [...table.tBodies[0].rows].forEach((row) => {
        const visible = words.every((word) => fold(row.innerText).includes(word));
        row.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      count.textContent = count.dataset.template.replace("{count}", shown);
    });
  });
})();
