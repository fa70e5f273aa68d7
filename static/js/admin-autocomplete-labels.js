// The Django admin's autocomplete fields (select2) label their combobox with the current choice
// only, shown in a read-only "textbox" that has no name of its own: an empty field is announced
// without any name. Name each combobox after its field's label followed by the current choice,
// and show the choice as plain text. Select2 builds the comboboxes after this script has run.
"use strict";
{
  const nameComboboxes = () => {
    for (const combobox of document.querySelectorAll(".select2-selection[role='combobox']")) {
      const select = combobox.closest(".select2")?.previousElementSibling;
      const label = select?.id ? document.querySelector(`label[for="${select.id}"]`) : null;
      if (!label || combobox.dataset.named) {
        continue;
      }
      label.id ||= `${select.id}_label`;
      const choice = combobox.querySelector(".select2-selection__rendered[id]");
      if (choice) {
        choice.removeAttribute("role");
        choice.removeAttribute("aria-readonly");
      }
      combobox.setAttribute("aria-labelledby", choice ? `${label.id} ${choice.id}` : label.id);
      combobox.dataset.named = "true";
    }
  };
  new MutationObserver(nameComboboxes).observe(document.documentElement, { childList: true, subtree: true });
}
