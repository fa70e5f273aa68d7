from playwright.sync_api import expect

REFUSED = {
    "invitations": "/invitations/",
    "conventions": "/conventions/",
    "partners": "/partners/",
    "admin": "/admin/",
    "admin-conventions": "/admin/conventions/convention/",
}


def test_correspondent_is_refused_admin_and_referent_pages_with_a_page_not_a_traceback(
    journey, correspondent, partner
):
    journey.sign_in(correspondent)
    expect(
        journey.page.get_by_role("list", name="Les institutions pour lesquelles vous agissez")
    ).to_contain_text(partner.name)

    for step, url in REFUSED.items():
        journey.visit(url, f"refused-{step}", status=403, heading="Vous n’avez pas accès à cette page")
        expect(journey.page.get_by_role("link", name="Retour à l’accueil")).to_be_visible()
