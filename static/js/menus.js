// The header's disclosure menus (<details data-menu>) work without JavaScript; this only closes them
// as people expect: one open at a time, Escape closes and gives the focus back, a click outside closes.
(() => {
  const menus = () => document.querySelectorAll("details[data-menu]");
  const closeAll = (except) => menus().forEach((menu) => menu !== except && menu.removeAttribute("open"));

  menus().forEach((menu) => {
    menu.addEventListener("toggle", () => menu.open && closeAll(menu));
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("details[data-menu]")) closeAll(null);
  });
})();
