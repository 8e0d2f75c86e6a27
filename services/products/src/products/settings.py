"""The products functions' settings, validated at cold start."""

from pydantic import Field

from shop_common.settings import ServiceSettings


class ProductsSettings(ServiceSettings):
    products_table_name: str = Field(alias="PRODUCTS_TABLE_NAME", min_length=1)
    images_bucket_name: str = Field(alias="IMAGES_BUCKET_NAME", min_length=1)
    # Where the site serves the images bucket (CloudFront's /images/*), ending with "/".
    image_base_url: str = Field(alias="IMAGE_BASE_URL", pattern=r"^https?://[^/\s]+/$")
