"""`--persist`: what a first run created is there after a restart, and nothing twice."""

from pathlib import Path

from tests.e2e.stack import local_stack


def test_data_and_users_survive_a_restart_with_persist(tmp_path: Path) -> None:
    arguments = ("--persist", "--state-dir", str(tmp_path))
    # Given a first run where a shopper signed up and the admin added a product
    with local_stack(*arguments) as first:
        shopper = first.new_shopper("keeper")
        admin = first.client_for(first.sign_in(first.admin_username, first.admin_password))
        created = admin.post("/product", {"name": "Kept kettle", "price": 40})
        assert created.status_code == 201
        products_before = admin.get("/products", params={"limit": 100}).json()
    # When the stack is stopped (Ctrl-C) and started again with the same state
    with local_stack(*arguments) as second:
        # Then the shopper signs in with the same password, the product is still there,
        # and the sample products were not added a second time
        tokens = second.sign_in(shopper.username)
        products_after = second.client_for(tokens).get("/products", params={"limit": 100}).json()
        assert sorted(p["product_id"] for p in products_after) == sorted(
            p["product_id"] for p in products_before
        )
        assert second.config["userPoolId"] == first.config["userPoolId"]
