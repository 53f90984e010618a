def test_login_page_renders(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert "Masuk ke Juara" in response.get_data(as_text=True)
