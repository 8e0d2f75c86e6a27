"""DynamoDB tables created in moto from the bootstrap template's definitions."""

from typing import Any

from stacks.templates import bootstrap_tables

# Physical names for tests; the logical ids come from bootstrap/template.yaml.
TEST_TABLE_NAMES = {
    "ProductsTable": "test-products",
    "OrdersTable": "test-orders",
    "IdempotencyTable": "test-idempotency",
    "VaultTable": "test-vault",
}
TEST_IMAGES_BUCKET = "test-product-images"
TEST_VAULT_BUCKET = "test-vault-bodies"


def create_bootstrap_tables(dynamodb_client: Any) -> dict[str, str]:
    """Create every bootstrap table; returns logical id -> physical name."""
    for logical_id, spec in bootstrap_tables().items():
        name = TEST_TABLE_NAMES[logical_id]
        dynamodb_client.create_table(**spec.create_table_request(name))
        if spec.ttl_attribute:
            dynamodb_client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
            )
    return dict(TEST_TABLE_NAMES)
