import requests

response = requests.get(
"https://api.amove.io/api/v1/user/userinfo",
headers={"Authorization": "Bearer EXAMPLE_TOKEN"}
)
print(response.json())
